import { VerifiedSubmission } from '../referrals/verified-submission';

/** The use case that routes one submission type once the trust layer has accepted it. */
export interface SubmissionRoute {
  execute(submission: VerifiedSubmission<object>): Promise<void>;
}
