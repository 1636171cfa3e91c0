import { ForbiddenException } from '@nestjs/common';

import { Principal } from './roles';

/**
 * An agency's system may speak only for its own agency: the agency named in a request body must
 * be the one in its token. Other roles (a MARAC coordinator recording a referral received by
 * phone) are not bound to one agency and pass.
 */
export function assertActsFor(principal: Principal, agencyId: string): void {
  if (!principal.roles.includes('agency-system')) return;
  if (principal.agencyId !== agencyId) throw new ForbiddenException('forbidden');
}
