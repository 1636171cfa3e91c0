import { createHash } from 'node:crypto';

import { AuditEvent } from '@app/contracts';

import { canonicalJson } from './canonical-json';
import {
  canonicalRecord,
  GENESIS_HASH,
  normaliseEvent,
  recordHash,
  recordHashGeneric,
  UnhashedRecord,
} from './chain-record';

describe('chain record encoding', () => {
  const event: AuditEvent = {
    eventId: '0B0F5F7E-8F0A-4F57-9D3C-2A3C1A4B5C6D',
    action: 'acknowledged',
    actor: 'education-adapter',
    occurredAt: '2026-11-26T09:30:00+01:00',
    messageId: 'A1B2C3D4-0000-4000-8000-000000000001',
    recipientMailbox: 'hill-primary-dsl',
    deadline: '2026-11-27T08:00:00Z',
    completeness: 75,
    detail: 'ack by "DSL" — école',
  };
  const record: UnhashedRecord = {
    seq: 7,
    prevHash: GENESIS_HASH,
    ...normaliseEvent(event, new Date('2026-11-26T08:30:01.234Z')),
  };

  it('normalises UUIDs to lower case and times to UTC milliseconds, as PostgreSQL reads them back', () => {
    expect(record).toMatchObject({
      eventId: '0b0f5f7e-8f0a-4f57-9d3c-2a3c1a4b5c6d',
      messageId: 'a1b2c3d4-0000-4000-8000-000000000001',
      occurredAt: '2026-11-26T08:30:00.000Z',
      deadline: '2026-11-27T08:00:00.000Z',
      appendedAt: '2026-11-26T08:30:01.234Z',
    });
    expect(record).not.toHaveProperty('subjectRef');
  });

  it('encodes exactly as the general RFC 8785 canonicaliser does', () => {
    expect(canonicalRecord(record)).toBe(canonicalJson({ ...record }));
    expect(recordHash(record)).toBe(recordHashGeneric(record));
    expect(canonicalRecord(record)).toBe(
      '{"action":"acknowledged","actor":"education-adapter","appendedAt":"2026-11-26T08:30:01.234Z",' +
        '"completeness":75,"deadline":"2026-11-27T08:00:00.000Z","detail":"ack by \\"DSL\\" — école",' +
        '"eventId":"0b0f5f7e-8f0a-4f57-9d3c-2a3c1a4b5c6d","messageId":"a1b2c3d4-0000-4000-8000-000000000001",' +
        '"occurredAt":"2026-11-26T08:30:00.000Z","prevHash":"' +
        GENESIS_HASH +
        '","recipientMailbox":"hill-primary-dsl","seq":7}',
    );
  });

  it('hashes the UTF-8 bytes with SHA-256 in lower-case hex, as sha256sum prints', () => {
    const expected = createHash('sha256')
      .update(Buffer.from(canonicalRecord(record), 'utf8'))
      .digest('hex');
    expect(recordHash(record)).toBe(expected);
    expect(recordHash(record)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes the hash when any hashed member changes, the position included', () => {
    const base = recordHash(record);
    expect(recordHash({ ...record, seq: 8 })).not.toBe(base);
    expect(recordHash({ ...record, prevHash: '1'.repeat(64) })).not.toBe(base);
    expect(recordHash({ ...record, actor: 'someone-else' })).not.toBe(base);
    expect(recordHash({ ...record, subjectRef: 'added' })).not.toBe(base);
  });
});
