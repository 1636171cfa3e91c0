/**
 * Real: the Kafka broker, PostgreSQL, the hub's and the audit service's Nest applications with
 * their Kafka transport. Faked: nothing.
 */
import { randomUUID } from 'node:crypto';

import { AuditEvent, Topics } from '@app/contracts';
import { DeadLetterHeader, KafkaPublisher } from '@app/messaging';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { signedAuditRecord } from '../support/audit-signing';
import { RawTopicReader } from '../support/raw-topic-reader';
import { eventually, freePort, RunningService, startService } from '../support/service-harness';

describe('a record produced by the hub is consumed by the audit service', () => {
  let hub: RunningService;
  let audit: RunningService;
  let auditDb: DataSource;
  let deadLetters: RawTopicReader;

  beforeAll(async () => {
    // The audit service checks each event's signature with the keys the hub's registry serves.
    const hubPort = await freePort();
    process.env.AUDIT_REGISTRY_URL = `http://127.0.0.1:${hubPort}/.well-known/nodes/`;
    [hub, audit] = await Promise.all([startService(HubModule, hubPort), startService(AuditModule)]);
    auditDb = audit.app.get(DataSource);
    deadLetters = new RawTopicReader(Topics.deadLetter);
    await deadLetters.start();
  });

  afterAll(async () => {
    await deadLetters?.stop();
    await Promise.all([hub?.app.close(), audit?.app.close()]);
  });

  const auditRows = (eventId: string) =>
    auditDb.query('SELECT action, actor, subject_ref FROM audit_record WHERE event_id = $1', [
      eventId,
    ]);

  function event(): AuditEvent {
    return {
      eventId: randomUUID(),
      action: 'routed',
      actor: 'hub',
      occurredAt: new Date().toISOString(),
      messageId: randomUUID(),
      subjectRef: `subj-${randomUUID()}`,
    };
  }

  it('appends the event to the trail once, even when the record is delivered twice', async () => {
    const published = event();
    const record = await signedAuditRecord(published);
    const publisher = hub.app.get(KafkaPublisher);

    await publisher.publish(Topics.auditEvents, [record]);
    const rows = await eventually(
      async () => {
        const found = await auditRows(published.eventId);
        return found.length ? found : undefined;
      },
      { what: 'the audit row' },
    );
    expect(rows).toEqual([{ action: 'routed', actor: 'hub', subject_ref: published.subjectRef }]);

    // A second copy of the same event, then a marker event behind it on the same partition:
    // once the marker is stored, the duplicate has been processed too.
    const marker = { ...event(), subjectRef: published.subjectRef };
    await publisher.publish(Topics.auditEvents, [record, await signedAuditRecord(marker)]);
    await eventually(async () => ((await auditRows(marker.eventId)).length ? true : undefined), {
      what: 'the marker row',
    });
    expect(await auditRows(published.eventId)).toHaveLength(1);
  });

  it('moves an invalid event to the dead-letter topic naming the bad fields, and stores nothing', async () => {
    const key = `subj-${randomUUID()}`;
    const invalid = {
      eventId: 'not-a-uuid',
      action: 'teleported',
      actor: 'hub',
      occurredAt: 'yesterday',
    };
    // Signed by the hub, as the hub would publish it: only its fields are at fault.
    const signed = await signedAuditRecord(invalid as unknown as AuditEvent);
    await hub.app.get(KafkaPublisher).publish(Topics.auditEvents, [{ ...signed, key }]);

    const deadLetter = await eventually(
      async () => deadLetters.find((r) => r.key?.toString() === key),
      {
        what: 'the dead-lettered record',
      },
    );
    const reason = deadLetter.headers?.[DeadLetterHeader.reason]?.toString() ?? '';
    expect(reason).toContain('eventId');
    expect(reason).toContain('action');
    expect(reason).toContain('occurredAt');
    expect(deadLetter.headers?.[DeadLetterHeader.sourceTopic]?.toString()).toBe(Topics.auditEvents);
    expect(
      await auditDb.query('SELECT 1 FROM audit_record WHERE actor = $1 AND subject_ref = $2', [
        'hub',
        key,
      ]),
    ).toHaveLength(0);
  });
});
