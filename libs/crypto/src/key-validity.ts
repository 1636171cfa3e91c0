import { ExchangeErrorCode } from '@app/contracts';
import { JWK } from 'jose';

export const KeyUses = ['sig', 'enc'] as const;
export type KeyUse = (typeof KeyUses)[number];

/** active: current; retiring: rotated out, still verifies until `retireAfter`; revoked: never. */
export const KeyStatuses = ['active', 'retiring', 'revoked'] as const;
export type KeyStatus = (typeof KeyStatuses)[number];

/** A registered public key as the verifier sees it. */
export interface ResolvedKey {
  kid: string;
  nodeId: string;
  use: KeyUse;
  /** Public JWK with kid, alg and use; never private members. */
  jwk: JWK;
  status: KeyStatus;
  notBefore: Date;
  /** End of the grace period of a retiring key. */
  retireAfter: Date | null;
}

/**
 * Why the key may not be used at `now`, or undefined when it may. Revocation wins over every
 * date, so a revoked key is invalid at once.
 */
export function keyRefusalAt(
  key: Pick<ResolvedKey, 'status' | 'notBefore' | 'retireAfter'>,
  now: Date,
): ExchangeErrorCode | undefined {
  if (key.status === 'revoked') return ExchangeErrorCode.KID_REVOKED;
  if (now.getTime() < key.notBefore.getTime()) return ExchangeErrorCode.KID_NOT_YET_VALID;
  if (key.status === 'retiring') {
    if (!key.retireAfter || now.getTime() >= key.retireAfter.getTime()) {
      return ExchangeErrorCode.KID_RETIRED;
    }
  }
  return undefined;
}

/** Members that only a private (or symmetric) JWK has; none may be registered or published. */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The JWK without any private member, whatever was passed in. */
export function publicOnly(jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_JWK_MEMBERS) delete copy[member];
  return copy as unknown as JWK;
}

/** True when the JWK carries private key material. */
export function hasPrivateMembers(jwk: object): boolean {
  return PRIVATE_JWK_MEMBERS.some((member) => member in jwk);
}
