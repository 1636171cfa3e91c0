import { Referral } from '@app/contracts';

import { assertValidBody } from '../outgoing/assert-valid-body';

/**
 * Checks a referral against its contract as the hub will (unknown fields refused too), so a
 * node never signs what the hub would refuse. 400 naming every invalid field, never a value.
 */
export function assertValidReferral(body: Referral): Promise<void> {
  return assertValidBody(Referral, body);
}
