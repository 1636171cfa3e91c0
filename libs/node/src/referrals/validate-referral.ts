import { Referral } from '@app/contracts';

import { assertValidBody } from '../validation/assert-valid-body';

/** Checks a referral against its contract as the hub will; 400 naming every invalid field. */
export function assertValidReferral(body: Referral): Promise<void> {
  return assertValidBody(Referral, body);
}
