import { Injectable } from '@nestjs/common';

import { NodeApiClient } from '../node-api/node-api.client';
import { formatDateTime } from '../presentation/area-time';
import { ActiveSession } from '../session/console-sessions.service';
import { SubjectDisclosuresJson } from './audit-json';
import { AuditNames } from './audit-names.service';
import { PolicyReasons } from './policy-reasons.service';
import { basisWords, typeWords } from './trail-words';

/** The subject reference the exchange gives a child: never a name (no spaces). */
export const SUBJECT_REF = /^[A-Za-z0-9][A-Za-z0-9._:-]{2,99}$/;

export const SUBJECT_REF_ERROR =
  'Enter the subject reference the exchange gave the child: 3 to 100 letters, digits and . _ : - with no spaces (never a name)';

export interface DisclosureRow {
  recipient: string;
  agency: string;
  when: string;
  at: string;
  sender: string;
  view: string;
  rule: string;
  basis: string;
  delivered: string;
  acknowledged: string;
  read: string;
  purged: string;
  storyHref: string;
}

export interface NotSharedRow {
  recipient: string;
  when: string;
  at: string;
  sender: string;
  type: string;
  why: string;
  storyHref: string | null;
}

export interface DisclosuresPage {
  subjectRef: string;
  disclosures: DisclosureRow[];
  notShared: NotSharedRow[];
}

/**
 * "Who has received data about this subject" (UK GDPR Art. 15(1)(c), issue 16 item 2) as a
 * page: GET /audit/subjects/:subjectRef/disclosures read with the person's token, each
 * disclosure by recipient and agency name, when, which view and under which rule, the basis and
 * consent, and whether and when it was delivered, acknowledged and purged; then every decision
 * not to share and why. The trail records acknowledgements, not each opening, so "read" says so.
 */
@Injectable()
export class DisclosurePages {
  constructor(
    private readonly api: NodeApiClient,
    private readonly names: AuditNames,
    private readonly reasons: PolicyReasons,
  ) {}

  async of(session: ActiveSession, subjectRef: string): Promise<DisclosuresPage> {
    const answer = await this.api.get<SubjectDisclosuresJson>(
      session,
      this.names.auditUrl,
      `/audit/subjects/${encodeURIComponent(subjectRef)}/disclosures`,
    );
    const when = (at: string | null, none: string) => (at ? formatDateTime(at) : none);
    return {
      subjectRef: answer.subjectRef,
      disclosures: answer.disclosures.map((item) => ({
        recipient: this.names.mailbox(item.recipientMailbox),
        agency: this.names.agency(item.recipientAgency),
        when: formatDateTime(item.disclosedAt),
        at: item.disclosedAt,
        sender: item.senderAgency
          ? this.names.agency(item.senderAgency)
          : item.senderNode
            ? this.names.actor(item.senderNode)
            : 'Not recorded',
        view: typeWords(item.viewType),
        rule: item.ruleId
          ? `${item.ruleId}${item.policyVersion ? ` (policy version ${item.policyVersion})` : ''}`
          : 'Not recorded',
        basis: basisWords(item.basis),
        delivered: when(item.deliveredAt, 'Not delivered yet'),
        acknowledged: when(item.acknowledgedAt, 'Not acknowledged'),
        read: 'Not recorded: the exchange records acknowledgements, not each opening',
        purged: item.purgedAt
          ? `${formatDateTime(item.purgedAt)}${item.purgeRule ? ` under rule ${item.purgeRule}` : ''}`
          : 'Still kept by the recipient',
        storyHref: `/audit/messages/${item.submissionId ?? item.deliveryId}`,
      })),
      notShared: answer.notShared.map((item) => ({
        recipient: this.names.mailboxOf(item.recipientMailbox, item.recipientAgency),
        when: formatDateTime(item.decidedAt),
        at: item.decidedAt,
        sender: this.names.agency(item.senderAgency),
        type: typeWords(item.messageType),
        why: [
          this.reasons.reasonOf(item.ruleId, item.policyVersion),
          `Refused by the sharing policy's rule ${item.ruleId ?? '(not recorded)'}${
            item.policyVersion ? `, policy version ${item.policyVersion}` : ''
          }.`,
          basisWords(item.basis),
        ]
          .filter(Boolean)
          .join(' '),
        storyHref: item.submissionId ? `/audit/messages/${item.submissionId}` : null,
      })),
    };
  }
}
