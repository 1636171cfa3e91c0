import { Injectable } from '@nestjs/common';
import { assessReferral } from '@app/node';
import { Clock } from '@app/platform';

import { MailboxPages } from '../mailbox/mailbox-pages.service';
import { MailboxEntry } from '../node-api/area-directory.service';
import { ApiRefusedError, NodeApiClient } from '../node-api/node-api.client';
import { apiFieldErrors, formErrors, FormErrors, NO_ERRORS } from '../presentation/form-errors';
import { FormPost } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';
import {
  formFieldOf,
  missingMessage,
  qualityInWords,
  REFERRAL_FORM_FIELDS,
  ReferralFormQuality,
  referralFromForm,
} from './referral-from-form';

export interface ReferralFormPage {
  mailbox: MailboxEntry;
  values: FormPost;
  errors: FormErrors;
  quality: ReferralFormQuality;
}

export type ReferralSubmission =
  { sent: true; completeness: number } | ({ sent: false } & ReferralFormPage);

/** Where an error links: a date's day box, a radios group's first option. */
const anchor = (field: string) =>
  field === 'child-dateOfBirth' || field === 'consent-at' ? `${field}-day` : field;

/**
 * A referral to the MASH made in the console: the form shows the required fields and the
 * completeness score (the node's own assessment, so the score she sees is the one recorded), a
 * referral without its required fields is refused naming every one, and a complete one goes to
 * the referring mailbox's node, which signs and sends it.
 */
@Injectable()
export class ReferralForms {
  constructor(
    private readonly pages: MailboxPages,
    private readonly api: NodeApiClient,
    private readonly clock: Clock,
  ) {}

  blank(session: ActiveSession, mailboxId: string): ReferralFormPage {
    const { mailbox } = this.pages.reach(session, mailboxId);
    return { mailbox, values: {}, errors: NO_ERRORS, quality: qualityInWords(assessReferral({})) };
  }

  /** The score and what is missing, for the page's script as she types. */
  quality(session: ActiveSession, mailboxId: string, form: FormPost): ReferralFormQuality {
    this.pages.reach(session, mailboxId);
    return qualityInWords(assessReferral(referralFromForm(form, this.clock.now()).body));
  }

  async submit(
    session: ActiveSession,
    mailboxId: string,
    form: FormPost,
  ): Promise<ReferralSubmission> {
    const { mailbox, nodeUrl } = this.pages.reach(session, mailboxId);
    const { body, badDates } = referralFromForm(form, this.clock.now());
    const assessed = assessReferral(body);
    const quality = qualityInWords(assessed);
    const refuse = (found: Record<string, string>): ReferralSubmission => ({
      sent: false,
      mailbox,
      values: form,
      quality,
      errors: formErrors(found, REFERRAL_FORM_FIELDS, anchor),
    });

    const found: Record<string, string> = { ...badDates };
    for (const path of assessed.missingRequired) found[formFieldOf(path)] ??= missingMessage(path);
    if (Object.keys(found).length) return refuse(found);
    try {
      const sent = await this.api.post<{ completeness: number }>(
        session,
        nodeUrl,
        `/mailboxes/${encodeURIComponent(mailboxId)}/referrals`,
        body,
      );
      return { sent: true, completeness: sent.completeness };
    } catch (error) {
      if (!(error instanceof ApiRefusedError)) throw error;
      const refused = apiFieldErrors(error.body, {});
      return refuse(
        Object.fromEntries(
          Object.entries(refused).map(([path, message]) => [formFieldOf(path), message]),
        ),
      );
    }
  }
}
