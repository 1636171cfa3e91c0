import { DiscoveryService } from '@nestjs/core';
import { MessageTypeDefinition } from '@app/contracts';

import { VerifiedSubmission } from '../referrals/verified-submission';

/** The use case that routes one submission type once the trust layer has accepted it. */
export interface SubmissionRoute {
  execute(submission: VerifiedSubmission<object>): Promise<void>;
}

/**
 * Declares the submission type a use case routes, on the use case itself:
 * `@RoutesSubmission(REFERRAL)`. The hub collects every provider so marked (SubmissionRoutes),
 * so a new journey adds its contract, its route and its handler, and no list elsewhere.
 */
export const RoutesSubmission = DiscoveryService.createDecorator<MessageTypeDefinition<object>>();
