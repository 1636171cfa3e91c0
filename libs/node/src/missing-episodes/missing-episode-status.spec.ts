import { recipientStatus } from './missing-episode-status.service';

const row = (change: Record<string, unknown> = {}) =>
  ({
    message_id: 'm',
    recipient: 'mash',
    report_number: 2,
    delivered_at: new Date(),
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
    ...change,
  }) as Parameters<typeof recipientStatus>[0];

const none = { mailboxId: null, received: false, overdue: false };

describe("a missing episode recipient's status", () => {
  it.each([
    ['delivered', row(), none, 'delivered'],
    ['acknowledged', row({ acknowledged_at: new Date() }), none, 'acknowledged'],
    [
      'acknowledged after an escalation',
      row({ acknowledged_at: new Date(), overdue_at: new Date() }),
      none,
      'acknowledged',
    ],
    ['unacknowledged past its deadline', row({ overdue_at: new Date() }), none, 'overdue'],
    ['refused by the policy', row({ sharing_refused_at: new Date() }), none, 'sharing-refused'],
    ['rejected', row({ rejected_at: new Date() }), none, 'rejected'],
    [
      'the MASH once the interview outcome arrived',
      row({ acknowledged_at: new Date() }),
      { mailboxId: 'mash', received: true, overdue: true },
      'return-home-interview-received',
    ],
    [
      'the MASH with the interview overdue, though acknowledged',
      row({ acknowledged_at: new Date() }),
      { mailboxId: 'mash', received: false, overdue: true },
      'overdue',
    ],
    [
      'another mailbox while the interview is overdue',
      row({ recipient: 'school-nursing', acknowledged_at: new Date() }),
      { mailboxId: 'mash', received: false, overdue: true },
      'acknowledged',
    ],
  ] as const)('%s', (_, recipient, interview, status) => {
    expect(recipientStatus(recipient, interview)).toBe(status);
  });
});
