import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row of the audit trail: metadata and a payload digest, never a payload. */
@Entity({ name: 'audit_record' })
export class AuditRecordEntity {
  /** One total order of events as the audit service appended them. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'event_id', type: 'uuid', unique: true })
  eventId!: string;

  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId!: string | null;

  @Column({ name: 'subject_ref', type: 'varchar', length: 200, nullable: true })
  subjectRef!: string | null;

  @Column({ name: 'payload_digest', type: 'varchar', length: 43, nullable: true })
  payloadDigest!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  detail!: string | null;

  @Column({ name: 'appended_at', type: 'timestamptz', default: () => 'now()' })
  appendedAt!: Date;
}
