import { Injectable } from '@nestjs/common';
import { nextSchoolDayStart } from '@app/calendar';
import {
  DOMESTIC_ABUSE_NOTIFICATION,
  DomesticAbuseNotification,
  ENCOMPASS_VIEW,
  MessageTypeDefinition,
  REFERRAL,
  Referral,
  REFERRAL_VIEW,
} from '@app/contracts';
import { minimise } from '@app/policy';
import { MailboxEntity, RegistryService } from '@app/registry';

import { HubEnv } from '../config/hub.env';
import { calendarOf } from '../domestic-abuse/route-domestic-abuse-notification.usecase';
import { encompassView } from '../exchange/recipient-view';
import { SharingStatement } from '../policy/sharing-request';
import { ReferralCalendar } from '../referrals/referral-calendar.service';
import { ChildRecipients, MissingRecipient } from '../routing/child-recipients.service';

/** What a correction needs of the journey of the message it corrects. */
export interface CorrectableJourney {
  /** The view type a recipient of the original was sent. */
  view: MessageTypeDefinition;
  /** Why the corrected message cannot stand for the original, or null. Codes, never values. */
  problem(corrected: object, originalId: string): string | null;
  /** Who the corrected message is meant for, as the journey finds its recipients. */
  meantFor(corrected: object): Promise<{ found: MailboxEntity[]; missing: MissingRecipient[] }>;
  /** A recipient's view of the corrected message, cut to the fields its rule allows. */
  viewOf(
    corrected: object,
    fields: string[] | undefined,
    mailboxId: string,
    acknowledgeBy: Date,
  ): object;
  /** When a mailbox must acknowledge a correction routed at `now`: as the original journey's. */
  acknowledgeBy(now: Date): Date;
}

/**
 * The journeys whose messages a sender may correct, by submission type: the domestic abuse
 * notification (recipients by the child's school, age and area, as RouteDomesticAbuseNotification
 * finds them; acknowledged by the start of the next school day) and the referral (the MASH;
 * acknowledged within the referral's working days).
 */
@Injectable()
export class CorrectableJourneys {
  private readonly journeys: Map<string, CorrectableJourney>;

  constructor(
    registry: RegistryService,
    childRecipients: ChildRecipients,
    referralCalendar: ReferralCalendar,
    env: HubEnv,
  ) {
    const domesticAbuse: CorrectableJourney = {
      view: ENCOMPASS_VIEW,
      problem: () => null,
      meantFor: async (corrected) => {
        const notification = corrected as DomesticAbuseNotification;
        const { found, missing } = await childRecipients.find(
          notification.child,
          new Date(notification.occurredAt),
        );
        return { found: found.map(({ mailbox }) => mailbox), missing };
      },
      viewOf: (corrected, fields, mailboxId, acknowledgeBy) =>
        encompassView(corrected as DomesticAbuseNotification, fields, mailboxId, acknowledgeBy),
      acknowledgeBy: (now) => nextSchoolDayStart(now, calendarOf(env)),
    };
    const referral: CorrectableJourney = {
      view: REFERRAL_VIEW,
      problem: (corrected, originalId) =>
        (corrected as Referral).referralId === originalId
          ? null
          : 'a corrected referral keeps its referralId: the id of the referral it corrects',
      meantFor: async () => {
        const mash = await registry.findMailboxByKind('mash');
        return mash
          ? { found: [mash], missing: [] }
          : {
              found: [],
              missing: [
                { role: 'mash', recipient: 'mash', reason: 'the area has no MASH mailbox' },
              ],
            };
      },
      viewOf: (corrected, fields, mailboxId, acknowledgeBy) => ({
        ...(minimise(corrected as unknown as Record<string, unknown>, fields) as object),
        recipientMailboxId: mailboxId,
        acknowledgeBy: acknowledgeBy.toISOString(),
      }),
      acknowledgeBy: (now) => referralCalendar.acknowledgeBy(now),
    };
    this.journeys = new Map([
      [DOMESTIC_ABUSE_NOTIFICATION.type, domesticAbuse],
      [REFERRAL.type, referral],
    ]);
  }

  of(type: string): CorrectableJourney | undefined {
    return this.journeys.get(type);
  }
}

/**
 * What the policy is asked for a notice (a withdrawal, or "not for you"): rule
 * correction-notice-always-travels decides on the message type alone. Recorded as not resting
 * on consent, so a later withdrawal of consent does not re-target it.
 */
export const CORRECTION_NOTICE_STATEMENT: SharingStatement = {
  consent: { position: 'not-sought' },
  lawfulBasis: 'ukgdpr-6-1-e-9-2-g',
  familyInformed: false,
  riskLevel: 'standard',
};
