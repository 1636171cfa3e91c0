import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A record waiting to be published, written in the same transaction as the business row that
 * caused it. The relay claims it (lease), publishes it, then marks it sent and clears its value,
 * so a signed payload does not stay at rest once the broker has it.
 */
@Entity({ name: 'outbox' })
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 249 })
  topic!: string;

  @Column({ name: 'record_key', type: 'varchar', length: 200 })
  recordKey!: string;

  @Column({ type: 'text', nullable: true })
  value!: string | null;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil!: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** Publishes the broker refused (not counted while it is unreachable). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Why the last publish failed: the error's class and code, never a value. */
  @Column({ name: 'last_error', type: 'varchar', length: 300, nullable: true })
  lastError!: string | null;

  /** Set after OUTBOX_MAX_ATTEMPTS refusals: the relay no longer tries the row. */
  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;
}
