import { AuditEvent } from '@app/contracts';

import { InvalidRecordError, validateRecord } from './validate-record';

describe('validateRecord', () => {
  const valid = {
    eventId: '0b0f5f7e-8f0a-4f57-9d3c-2a3c1a4b5c6d',
    action: 'delivered',
    actor: 'education-adapter',
    occurredAt: '2026-11-26T08:30:00.000Z',
  };

  it('returns an instance of the contract for a valid body', async () => {
    const record = await validateRecord(AuditEvent, valid);
    expect(record).toBeInstanceOf(AuditEvent);
    expect(record.action).toBe('delivered');
  });

  it('names every invalid field and refuses unknown ones', async () => {
    const error = await validateRecord(AuditEvent, {
      ...valid,
      eventId: 'x',
      action: 'nope',
      payload: { name: 'A' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRecordError);
    const fields = (error as InvalidRecordError).fields.map((f) => f.split(':')[0]).sort();
    expect(fields).toEqual(['action', 'eventId', 'payload']);
  });

  it('refuses a body that is not a JSON object', async () => {
    await expect(validateRecord(AuditEvent, 'a string')).rejects.toBeInstanceOf(InvalidRecordError);
    await expect(validateRecord(AuditEvent, [valid])).rejects.toBeInstanceOf(InvalidRecordError);
  });
});
