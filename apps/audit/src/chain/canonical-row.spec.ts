import { AuditEvent } from '@app/contracts';

import { pgRow, pgTimestampText } from './pg-row.test-support';
import { canonicalJson } from './canonical-json';
import { canonicalRow, CANONICAL_ROW_COLUMNS, isoFromPgTimestamp } from './canonical-row';
import { canonicalRecord, GENESIS_HASH, normaliseEvent, UnhashedRecord } from './chain-record';

describe('canonical JSON of a row read as PostgreSQL text (verification)', () => {
  const record = (event: Partial<AuditEvent>, seq = 7, appendedAt = '2026-11-26T08:30:01.234Z') =>
    ({
      seq,
      prevHash: GENESIS_HASH,
      ...normaliseEvent(
        {
          eventId: '0B0F5F7E-8F0A-4F57-9D3C-2A3C1A4B5C6D',
          action: 'delivered',
          actor: 'education-adapter',
          occurredAt: '2026-11-26T08:30:00Z',
          ...event,
        } as AuditEvent,
        new Date(appendedAt),
      ),
    }) as UnhashedRecord;

  const cases: [string, UnhashedRecord][] = [
    ['required members only', record({})],
    [
      'every optional member',
      record({
        messageId: 'A1B2C3D4-0000-4000-8000-000000000001',
        correlationId: 'corr-1',
        subjectRef: 'subj-1',
        messageType: 'referral',
        senderNode: 'police',
        senderAgency: 'northshire-police',
        recipientMailbox: 'hill-primary-dsl',
        recipientAgency: 'northshire-education',
        decision: 'allow-with-fields',
        ruleId: 'encompass.school',
        policyVersion: '2026.1',
        errorCode: 'E_X',
        deadline: '2026-11-27T08:00:00.5Z',
        completeness: 100,
        payloadDigest: 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0',
        detail: 'plain',
      }),
    ],
    ['completeness 0', record({ completeness: 0 })],
    [
      'strings JSON must escape, and non-ASCII',
      record({ detail: 'ack by "DSL" — école \\ \n\t\u0001\u001f\u007f 😀 \u2028' }),
    ],
    ['milliseconds with trailing zeros', record({ occurredAt: '2026-11-26T08:30:00.120Z' }, 8)],
    [
      'whole seconds',
      record({ occurredAt: '2026-11-26T08:30:00.000Z' }, 9, '2026-11-26T08:30:01.100Z'),
    ],
    ['a large seq', record({}, 9_007_199_254)],
    ['an early year', record({ occurredAt: '0999-01-02T03:04:05.006Z' })],
  ];

  it.each(cases)('equals the general RFC 8785 canonicaliser: %s', (_, unhashed) => {
    const expected = canonicalJson({ ...unhashed });
    expect(canonicalRecord(unhashed)).toBe(expected);
    expect(canonicalRow(pgRow(unhashed))).toBe(expected);
  });

  it('reads PostgreSQL timestamps in ISO DateStyle as the appender wrote them', () => {
    expect(pgTimestampText('2026-11-26T08:30:00.120Z')).toBe('2026-11-26 08:30:00.12');
    expect(isoFromPgTimestamp('2026-11-26 08:30:00')).toBe('2026-11-26T08:30:00.000Z');
    expect(isoFromPgTimestamp('2026-11-26 08:30:00.1')).toBe('2026-11-26T08:30:00.100Z');
    expect(isoFromPgTimestamp('2026-11-26 08:30:00.123')).toBe('2026-11-26T08:30:00.123Z');
  });

  it('keeps what the appender never writes distinct, so such a row fails its hash', () => {
    // Finer than milliseconds: kept whole, not truncated to a time the appender hashed.
    expect(isoFromPgTimestamp('2026-11-26 08:30:00.123456')).toBe('2026-11-26T08:30:00.123456Z');
    for (const text of ['0044-03-15 00:00:00 BC', '10000-01-01 00:00:00', 'infinity']) {
      expect(isoFromPgTimestamp(text)).toBe(text);
    }
  });

  it('selects the hashed columns in canonical key order, times in UTC, then the stored hash', () => {
    expect(CANONICAL_ROW_COLUMNS).toBe(
      "action, actor, appended_at AT TIME ZONE 'UTC', completeness, correlation_id, " +
        "deadline AT TIME ZONE 'UTC', decision, detail, error_code, event_id, message_id, " +
        "message_type, occurred_at AT TIME ZONE 'UTC', payload_digest, policy_version, prev_hash, " +
        'recipient_agency, recipient_mailbox, rule_id, sender_agency, sender_node, seq, signature, subject_ref, hash',
    );
  });
});
