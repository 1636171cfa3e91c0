import { randomUUID } from 'node:crypto';

import { AuditEvent } from '@app/contracts';
import { dataSourceOptions, runMigrations } from '@app/persistence';
import { DataSource } from 'typeorm';

import { AUDIT_TABLES } from '../../apps/audit/src/audit.tables';

/**
 * A throw-away schema with the audit migrations applied, so a test may tamper with its chain
 * (and number its rows from 1) without touching the trail other tests share.
 */
export async function createAuditSchema(): Promise<{ db: DataSource; drop: () => Promise<void> }> {
  const schema = `audit_t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const url = process.env.DATABASE_URL!;
  await runMigrations({ ...AUDIT_TABLES, schema }, { url });
  const db = await new DataSource(
    dataSourceOptions({ ...AUDIT_TABLES, schema }, { url, poolSize: 4 }),
  ).initialize();
  return {
    db,
    drop: async () => {
      await db.query(`DROP SCHEMA "${schema}" CASCADE`);
      await db.destroy();
    },
  };
}

/** An audit event with unique ids and the metadata a delivery carries. */
export function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: randomUUID(),
    action: 'delivered',
    actor: 'education',
    occurredAt: new Date().toISOString(),
    messageId: randomUUID(),
    subjectRef: `subj-${randomUUID()}`,
    messageType: 'domestic-abuse-incident',
    senderNode: 'police',
    senderAgency: 'northshire-police',
    recipientMailbox: 'hill-primary-dsl',
    recipientAgency: 'northshire-education',
    payloadDigest: 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0',
    ...overrides,
  };
}
