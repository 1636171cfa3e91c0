import type { VerifyResult } from './chain-verifier.service';

/** A requested range the trail cannot serve; `field` names the query parameter at fault. */
export class InvalidRangeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidRangeError';
  }
}

/** The chain did not verify, so nothing was signed: a signature must never cover tampering. */
export class ChainBrokenError extends Error {
  constructor(readonly result: Extract<VerifyResult, { ok: false }>) {
    super(`the chain does not verify at row ${result.firstBadSeq}: ${result.reason}`);
    this.name = 'ChainBrokenError';
  }
}
