import { recipientStatus, withdrawalStatus } from './consent-withdrawal-reads.service';

const recipient = {
  mailbox_id: 'school-a-dsl',
  acknowledge_by: new Date('2031-03-04T09:00:00Z'),
  delivered_at: null,
  acknowledged_at: null,
  acknowledged_by: null,
  overdue_at: null,
  not_reached_code: null,
  not_reached_reason: null,
};
const withdrawal = {
  message_id: 'm',
  subject_ref: 's',
  withdrawn_at: new Date(),
  submitted_at: new Date(),
  routed_at: null,
  outcome: null,
  rejected_at: null,
  rejection_code: null,
  rejection_reason: null,
};
const at = new Date('2031-03-03T10:00:00Z');

describe('a consent withdrawal as its sender sees it', () => {
  it('follows each mailbox: told, delivered, overdue, acknowledged (late still counts), not reached', () => {
    expect(recipientStatus(recipient)).toBe('told');
    expect(recipientStatus({ ...recipient, delivered_at: at })).toBe('delivered');
    expect(recipientStatus({ ...recipient, delivered_at: at, overdue_at: at })).toBe('overdue');
    expect(recipientStatus({ ...recipient, overdue_at: at, acknowledged_at: at })).toBe(
      'acknowledged',
    );
    expect(recipientStatus({ ...recipient, not_reached_code: 'RECIPIENT_NODE_INACTIVE' })).toBe(
      'not-reached',
    );
  });

  it('is acknowledged only when every mailbox reached has acknowledged', () => {
    const routed = { ...withdrawal, routed_at: at, outcome: 'told' as const };
    expect(withdrawalStatus(withdrawal, [])).toBe('submitted');
    expect(withdrawalStatus(routed, ['acknowledged', 'delivered'])).toBe('told');
    expect(withdrawalStatus(routed, ['acknowledged', 'overdue'])).toBe('overdue');
    expect(withdrawalStatus(routed, ['acknowledged', 'not-reached'])).toBe('acknowledged');
    expect(withdrawalStatus({ ...withdrawal, routed_at: at, outcome: 'nobody-to-tell' }, [])).toBe(
      'nobody-to-tell',
    );
    expect(withdrawalStatus({ ...routed, rejected_at: at }, ['acknowledged'])).toBe('rejected');
  });
});
