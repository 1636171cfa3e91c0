import { Injectable } from '@nestjs/common';
import { Clock } from '@app/platform';

import { MailboxPages } from '../mailbox/mailbox-pages.service';
import { notificationAction } from '../mailbox/notification-action';
import { ApiConflictError, ApiRefusedError, NodeApiClient } from '../node-api/node-api.client';
import { PageNotFoundError } from '../pages/page-errors';
import { areaDateTime } from '../presentation/area-time';
import {
  EXPLOITATION_INDICATORS,
  LAWFUL_BASES,
  RETURN_HOME_INTERVIEW_OUTCOMES,
  RETURN_HOME_INTERVIEWERS,
} from '../presentation/choice-labels';
import { apiFieldErrors, formErrors, FormErrors } from '../presentation/form-errors';
import { FormPost, list, text } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';

export interface ReturnHomeInterviewForm {
  outcome: string;
  heldDay: string;
  heldMonth: string;
  heldYear: string;
  heldTime: string;
  reasonNotHeld: string;
  conductedBy: string;
  providerName: string;
  exploitationDisclosed: string[];
  concerns: string;
  childsAccount: string;
  nextSteps: string;
  lawfulBasis: string;
}

export type ReturnHomeInterviewResult =
  { recorded: true } | { recorded: false; values: ReturnHomeInterviewForm; errors: FormErrors };

/** The page's order of fields, which the error summary follows; heldAt is the date group. */
const FIELDS = [
  'outcome',
  'heldAt',
  'reasonNotHeld',
  'conductedBy',
  'providerName',
  'exploitationDisclosed',
  'concerns',
  'childsAccount',
  'nextSteps',
  'lawfulBasis',
] as const;

/** Where each field's error links: the date group's first box, a radios group's first option. */
const ANCHORS: Record<string, string> = {
  heldAt: 'heldAt-day',
  outcome: 'outcome',
  conductedBy: 'conductedBy',
  lawfulBasis: 'lawfulBasis',
  exploitationDisclosed: 'exploitationDisclosed',
};

const OWN_MESSAGES: Record<string, string> = {
  heldAt: 'The interview date and time must be in the past',
  'conductedBy.providerName': 'Enter the name of the provider who held the interview',
  nextSteps: 'Enter the next steps',
};

const known = (choices: { value: string }[], value: string) =>
  choices.some((choice) => choice.value === value);

/** The values of a posted form, as the page shows them again. */
export function readReturnHomeInterviewForm(form: FormPost): ReturnHomeInterviewForm {
  return {
    outcome: text(form, 'outcome'),
    heldDay: text(form, 'heldAt-day'),
    heldMonth: text(form, 'heldAt-month'),
    heldYear: text(form, 'heldAt-year'),
    heldTime: text(form, 'heldAt-time'),
    reasonNotHeld: text(form, 'reasonNotHeld'),
    conductedBy: text(form, 'conductedBy'),
    providerName: text(form, 'providerName'),
    exploitationDisclosed: list(form, 'exploitationDisclosed'),
    concerns: text(form, 'concerns'),
    childsAccount: text(form, 'childsAccount'),
    nextSteps: text(form, 'nextSteps'),
    lawfulBasis: text(form, 'lawfulBasis'),
  };
}

/**
 * Social care records the outcome of the return home interview for a missing episode its
 * mailbox received: checked here so each missing answer is named in words, then sent to the
 * node, which signs it for the hub (routed to the reporter; the 72-hour deadline closes). The
 * episode is the one the notification holds, read again from the node.
 */
@Injectable()
export class ReturnHomeInterviews {
  constructor(
    private readonly pages: MailboxPages,
    private readonly api: NodeApiClient,
    private readonly clock: Clock,
  ) {}

  async record(
    session: ActiveSession,
    mailboxId: string,
    messageId: string,
    form: FormPost,
  ): Promise<ReturnHomeInterviewResult> {
    const values = readReturnHomeInterviewForm(form);
    const { mailbox, nodeUrl, message } = await this.pages.message(session, mailboxId, messageId);
    const action = notificationAction(mailbox, message);
    if (action?.kind !== 'return-home-interview') throw new PageNotFoundError();

    const found = this.check(values);
    const fail = (errors: Record<string, string>): ReturnHomeInterviewResult => ({
      recorded: false,
      values,
      errors: formErrors(errors, FIELDS, (field) => ANCHORS[field] ?? field),
    });
    if (Object.keys(found.errors).length) return fail(found.errors);
    try {
      await this.api.post(
        session,
        nodeUrl,
        `/missing-episodes/${encodeURIComponent(action.episodeId)}/return-home-interview`,
        found.body,
      );
      return { recorded: true };
    } catch (error) {
      if (error instanceof ApiConflictError) {
        const reason = String(error.body.message ?? '');
        return fail({
          outcome: reason.includes('found')
            ? 'The child has not been reported found yet: record the interview once they are'
            : 'A return home interview outcome was already sent for this episode',
        });
      }
      if (error instanceof ApiRefusedError) {
        const refused = apiFieldErrors(error.body, OWN_MESSAGES);
        if (refused['conductedBy.providerName']) {
          refused.providerName = refused['conductedBy.providerName'];
          delete refused['conductedBy.providerName'];
        }
        return fail(refused);
      }
      throw error;
    }
  }

  private check(values: ReturnHomeInterviewForm): {
    errors: Record<string, string>;
    body: Record<string, unknown>;
  } {
    const errors: Record<string, string> = {};
    const body: Record<string, unknown> = {};
    if (!known(RETURN_HOME_INTERVIEW_OUTCOMES, values.outcome)) {
      errors.outcome = 'Select whether the interview was held';
    } else body.outcome = values.outcome;
    if (values.outcome === 'held') {
      const heldAt = areaDateTime(
        values.heldDay,
        values.heldMonth,
        values.heldYear,
        values.heldTime,
      );
      if (!heldAt)
        errors.heldAt = 'Enter the date and time the interview was held, like 3 12 2026 and 14:30';
      else if (heldAt.getTime() > this.clock.now().getTime()) errors.heldAt = OWN_MESSAGES.heldAt;
      else body.heldAt = heldAt.toISOString();
    } else if (values.outcome) {
      if (!values.reasonNotHeld) errors.reasonNotHeld = 'Enter why no interview was held';
      else body.reasonNotHeld = values.reasonNotHeld;
    }
    if (!known(RETURN_HOME_INTERVIEWERS, values.conductedBy)) {
      errors.conductedBy = 'Select who was responsible for the interview';
    } else if (values.conductedBy === 'commissioned-provider') {
      if (!values.providerName) errors.providerName = OWN_MESSAGES['conductedBy.providerName'];
      body.conductedBy = { by: values.conductedBy, providerName: values.providerName };
    } else body.conductedBy = { by: values.conductedBy };
    if (!values.exploitationDisclosed.every((code) => known(EXPLOITATION_INDICATORS, code))) {
      errors.exploitationDisclosed = 'Select only the kinds of exploitation listed';
    }
    body.exploitationDisclosed = values.exploitationDisclosed;
    if (values.concerns) body.concerns = values.concerns;
    if (values.childsAccount) body.childsAccount = values.childsAccount;
    if (!values.nextSteps) errors.nextSteps = OWN_MESSAGES.nextSteps;
    else body.nextSteps = values.nextSteps;
    if (!known(LAWFUL_BASES, values.lawfulBasis)) {
      errors.lawfulBasis = 'Select the lawful basis for telling the reporter';
    } else body.lawfulBasis = values.lawfulBasis;
    return { errors, body };
  }
}
