import { Referral } from '@app/contracts';
import { OmitType } from '@nestjs/swagger';

/**
 * A referral as the referrer sends it: the contract without what the node sets itself (the id,
 * the referrer's mailbox from the route, the completeness score it computes).
 */
export class ReferralSubmissionDto extends OmitType(Referral, [
  'referralId',
  'referrerMailboxId',
  'completeness',
] as const) {}
