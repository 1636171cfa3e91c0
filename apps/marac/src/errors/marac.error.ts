/** Every reason the MARAC service refuses a request, one code each (mapped to HTTP in one filter). */
export enum MaracErrorCode {
  /** The referral's criterion is not met by what the referral says (or by the case history). */
  CRITERION_NOT_MET = 'CRITERION_NOT_MET',
  /** A field is missing or inconsistent with another one. */
  INVALID_REFERRAL = 'INVALID_REFERRAL',
  CASE_NOT_FOUND = 'CASE_NOT_FOUND',
  ACTION_NOT_FOUND = 'ACTION_NOT_FOUND',
  /** The agency or mailbox is not a member of this case's MARAC. */
  NOT_A_CASE_MEMBER = 'NOT_A_CASE_MEMBER',
  /** Only the agency that owns an action may acknowledge or update it. */
  NOT_ACTION_OWNER = 'NOT_ACTION_OWNER',
  /** The agency has already answered this case's information request. */
  ALREADY_ANSWERED = 'ALREADY_ANSWERED',
  /** A completed action takes no further updates. */
  ACTION_CLOSED = 'ACTION_CLOSED',
  /** A referral delivered through the hub that is already a case. */
  ALREADY_LISTED = 'ALREADY_LISTED',
}

/**
 * A refusal naming the field and the rule that failed. Messages never carry a value from the
 * request: references and free text stay out of logs and error bodies.
 */
export class MaracError extends Error {
  constructor(
    readonly code: MaracErrorCode,
    readonly field: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'MaracError';
  }
}
