import { Injectable } from '@nestjs/common';

import { MailboxPages } from '../mailbox/mailbox-pages.service';
import { ApiConflictError, ApiRefusedError, NodeApiClient } from '../node-api/node-api.client';
import { PageNotFoundError } from '../pages/page-errors';
import { REFERRAL_DECISIONS } from '../presentation/choice-labels';
import { apiFieldErrors, formErrors, FormErrors } from '../presentation/form-errors';
import { FormPost, text } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';
import { SentDecisions } from './sent-decisions.service';

export interface ReferralDecisionForm {
  decision: string;
  nextSteps: string;
}

export type ReferralDecisionResult =
  | { recorded: true }
  | {
      recorded: false;
      values: ReferralDecisionForm;
      errors: FormErrors;
      /** A decision was already sent: the page shows it, read-only (409). */
      alreadySent?: boolean;
    };

const FIELDS = ['decision', 'nextSteps'] as const;
const NEXT_STEPS_MAX = 2000;

/** The page shows the decision that was sent instead of the form: the summary points there. */
const ALREADY_SENT: FormErrors = {
  summary: [
    {
      text: 'A decision on this referral was already sent to the referrer. It cannot be sent again.',
      href: '#decision-sent',
    },
  ],
  fields: {},
};

/**
 * The MASH records its decision on a referral it received and the next steps, which the node
 * signs as the referral's outcome and the hub routes back to the referrer. The referral is the
 * one the notification holds (read again from the node, never taken from the form).
 */
@Injectable()
export class ReferralDecisions {
  constructor(
    private readonly pages: MailboxPages,
    private readonly api: NodeApiClient,
    private readonly sent: SentDecisions,
  ) {}

  async record(
    session: ActiveSession,
    mailboxId: string,
    messageId: string,
    form: FormPost,
  ): Promise<ReferralDecisionResult> {
    const values = { decision: text(form, 'decision'), nextSteps: text(form, 'nextSteps') };
    const { message, nodeUrl, mailbox } = await this.pages.message(session, mailboxId, messageId);
    const referralId = message.notification?.referralId;
    if (mailbox.kind !== 'mash' || typeof referralId !== 'string') throw new PageNotFoundError();
    // Sent once: whatever this form holds, a decision already sent is what the page shows.
    if (await this.sent.of(session, nodeUrl, mailboxId, referralId)) {
      return { recorded: false, values, errors: ALREADY_SENT, alreadySent: true };
    }

    const found: Record<string, string> = {};
    if (!REFERRAL_DECISIONS.some((choice) => choice.value === values.decision)) {
      found.decision = 'Select what the MASH decided';
    }
    if (!values.nextSteps) found.nextSteps = 'Enter the next steps for the referrer';
    else if (values.nextSteps.length > NEXT_STEPS_MAX) {
      found.nextSteps = 'Next steps must be 2,000 characters or fewer';
    }
    if (Object.keys(found).length)
      return { recorded: false, values, errors: formErrors(found, FIELDS) };

    try {
      await this.api.post(
        session,
        nodeUrl,
        `/mailboxes/${encodeURIComponent(mailboxId)}/referrals/${encodeURIComponent(referralId)}/outcome`,
        { outcome: values.decision, nextSteps: values.nextSteps },
      );
      return { recorded: true };
    } catch (error) {
      if (error instanceof ApiConflictError) {
        // Sent from elsewhere in the meantime: the node refuses a second one.
        return { recorded: false, values, errors: ALREADY_SENT, alreadySent: true };
      }
      if (error instanceof ApiRefusedError) {
        const refused = apiFieldErrors(error.body, { outcome: 'Select what the MASH decided' });
        if (refused.outcome) {
          refused.decision = refused.outcome;
          delete refused.outcome;
        }
        return { recorded: false, values, errors: formErrors(refused, FIELDS) };
      }
      throw error;
    }
  }
}
