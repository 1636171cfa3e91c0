import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

import { AuditEvent } from './audit-event';

async function problems(body: object): Promise<string[]> {
  const errors = await validate(plainToInstance(AuditEvent, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return errors.map((error) => error.property).sort();
}

describe('AuditEvent', () => {
  const minimal = {
    eventId: '0b0f5f7e-8f0a-4f57-9d3c-2a3c1a4b5c6d',
    action: 'delivered',
    actor: 'education-adapter',
    occurredAt: '2026-11-26T08:30:00.000Z',
  };

  it('needs only eventId, action, actor and occurredAt', async () => {
    expect(await problems(minimal)).toEqual([]);
  });

  it('accepts the full metadata an auditor needs', async () => {
    expect(
      await problems({
        ...minimal,
        action: 'referral-outcome',
        messageId: '1b0f5f7e-8f0a-4f57-9d3c-2a3c1a4b5c6d',
        correlationId: '2b0f5f7e-8f0a-4f57-9d3c-2a3c1a4b5c6d',
        subjectRef: 'subj-1',
        messageType: 'referral-outcome',
        senderNode: 'social-care',
        senderAgency: 'northshire-csc',
        recipientMailbox: 'hill-primary-dsl',
        recipientAgency: 'northshire-education',
        decision: 'allow-with-fields',
        ruleId: 'referral.school-to-mash',
        policyVersion: '2026.1',
        errorCode: 'KID_REVOKED',
        deadline: '2026-11-27T08:30:00.000Z',
        completeness: 80,
        payloadDigest: 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0',
        detail: 'outcome: no further action',
      }),
    ).toEqual([]);
  });

  it('refuses a payload and names each malformed field', async () => {
    expect(
      await problems({
        ...minimal,
        payload: { name: 'A child' },
        completeness: 101,
        deadline: 'tomorrow',
        errorCode: 'bad code',
        decision: 'maybe',
      }),
    ).toEqual(['completeness', 'deadline', 'decision', 'errorCode', 'payload']);
  });
});
