import { ESCALATION, RECEIPT, REJECTION, SHARING_REFUSED } from '@app/contracts';
import { VerifiedEnvelope } from '@app/crypto';

import { recipientNoticeOf } from './recipient-notice';
import { RecipientFacts, recipientFactsView, recipientStatusOf } from './recipient-status';

const none: RecipientFacts = {
  delivered_at: null,
  acknowledged_at: null,
  acknowledged_by: null,
  overdue_at: null,
  sharing_refused_at: null,
  sharing_rule_id: null,
  sharing_policy_version: null,
  sharing_refusal_reason: null,
  rejected_at: null,
  rejection_code: null,
  rejection_reason: null,
};
const at = new Date('2026-01-15T08:00:00Z');

describe("a recipient's status as its sender sees it", () => {
  it.each([
    ['routed, nothing heard yet', {}, 'routed'],
    ['delivered', { delivered_at: at }, 'delivered'],
    ['acknowledged', { delivered_at: at, acknowledged_at: at }, 'acknowledged'],
    ['acknowledged after the escalation', { acknowledged_at: at, overdue_at: at }, 'acknowledged'],
    ['delivered, past its deadline', { delivered_at: at, overdue_at: at }, 'overdue'],
    ['refused by the policy', { sharing_refused_at: at }, 'sharing-refused'],
    ['rejected, whatever else', { rejected_at: at, sharing_refused_at: at }, 'rejected'],
  ] as const)('%s', (_, facts, status) => {
    expect(recipientStatusOf({ ...none, ...facts })).toBe(status);
  });

  it('shows refusals only when there is one', () => {
    expect(recipientFactsView(none)).toEqual({
      deliveredAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      overdueAt: null,
      sharingRefusal: null,
      rejection: null,
    });
    expect(
      recipientFactsView({
        ...none,
        rejected_at: at,
        rejection_code: 'RECIPIENT_UNKNOWN',
        rejection_reason: 'no school with this URN is in the registry',
      }).rejection,
    ).toEqual({
      code: 'RECIPIENT_UNKNOWN',
      reason: 'no school with this URN is in the registry',
      at: at.toISOString(),
    });
  });
});

describe("what the hub's messages say about a recipient", () => {
  const envelope = (type: string, body: object) =>
    ({ claims: { type }, body }) as unknown as VerifiedEnvelope;
  const messageId = '6f1c1b7e-4a3e-4d43-9d8e-0d1f6c1e2a3b';

  it('a delivered and an acknowledged receipt', () => {
    expect(
      recipientNoticeOf(
        envelope(RECEIPT.type, { messageId, mailboxId: 'mash', status: 'delivered', at }),
      ),
    ).toEqual({ messageId, mailboxId: 'mash', facts: { delivered_at: at } });
    expect(
      recipientNoticeOf(
        envelope(RECEIPT.type, {
          messageId,
          mailboxId: 'mash',
          status: 'acknowledged',
          at,
          by: 'duty-sw',
        }),
      ),
    ).toEqual({
      messageId,
      mailboxId: 'mash',
      facts: { delivered_at: at, acknowledged_at: at, acknowledged_by: 'duty-sw' },
    });
  });

  it('a rejection naming a recipient is about it; one naming none is about the message', () => {
    expect(
      recipientNoticeOf(
        envelope(REJECTION.type, {
          messageId,
          code: 'RECIPIENT_UNKNOWN',
          reason: 'no school with this URN is in the registry',
          recipient: '1000000',
        }),
      ),
    ).toMatchObject({
      mailboxId: '1000000',
      facts: { rejection_code: 'RECIPIENT_UNKNOWN', rejected_at: expect.any(Date) },
    });
    expect(
      recipientNoticeOf(
        envelope(REJECTION.type, { messageId, code: 'SIGNATURE_INVALID', reason: 'bad' }),
      ),
    ).toEqual({ messageId, rejection: { code: 'SIGNATURE_INVALID', reason: 'bad' } });
  });

  it('a sharing refusal names the rule; an escalation the overdue mailbox', () => {
    expect(
      recipientNoticeOf(
        envelope(SHARING_REFUSED.type, {
          messageId,
          ruleId: 'no-consent-no-justification',
          policyVersion: '2026-11-28.2',
          reason: 'Neither consent nor a stated safeguarding justification supports sharing.',
          recipientMailboxId: 'school-nursing',
        }),
      ),
    ).toMatchObject({
      mailboxId: 'school-nursing',
      facts: { sharing_rule_id: 'no-consent-no-justification' },
    });
    const escalation = {
      messageId,
      overdueMailboxId: 'health-visiting',
      dueAt: at.toISOString(),
      escalatedAt: at.toISOString(),
    };
    expect(recipientNoticeOf(envelope(ESCALATION.type, escalation))).toEqual({
      messageId,
      mailboxId: 'health-visiting',
      facts: { overdue_at: at },
    });
    // The copy filed in the sender's own mailbox reads the same.
    expect(
      recipientNoticeOf(
        envelope(ESCALATION.type, { ...escalation, recipientMailboxId: 'police-safeguarding-hub' }),
      ),
    ).toEqual({ messageId, mailboxId: 'health-visiting', facts: { overdue_at: at } });
  });
});
