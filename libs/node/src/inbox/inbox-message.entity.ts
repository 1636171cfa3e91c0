import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const InboxStatuses = ['received', 'acknowledged'] as const;
export type InboxStatus = (typeof InboxStatuses)[number];

/**
 * A record delivered to this node, stored once: the primary key is the message id, so a
 * redelivered record finds its row already there and changes nothing. The body is kept as
 * delivered (a JWE encrypted to this node) and decrypted on read, so the inbox holds no
 * plaintext at rest; the columns beside it are metadata only.
 */
@Entity({ name: 'inbox_message' })
export class InboxMessageEntity {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ type: 'varchar', length: 200 })
  type!: string;

  @Column({ type: 'varchar', length: 200 })
  source!: string;

  @Column({ name: 'subject_ref', type: 'varchar', length: 200, nullable: true })
  subjectRef!: string | null;

  /** Null once purged under a retention rule; the row stays as the item's tombstone. */
  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ name: 'kafka_topic', type: 'varchar', length: 249 })
  kafkaTopic!: string;

  @Column({ name: 'kafka_partition', type: 'int' })
  kafkaPartition!: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  kafkaOffset!: string;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  /** The mailbox the hub addressed it to; null for messages to the node itself. */
  @Column({ name: 'mailbox_id', type: 'varchar', length: 100, nullable: true })
  mailboxId?: string | null;

  @Column({ type: 'varchar', length: 20, default: 'received' })
  status?: InboxStatus;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt?: Date | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt?: Date | null;

  /** A display reference of who acknowledged (the token's subject). */
  @Column({ name: 'acknowledged_by', type: 'varchar', length: 200, nullable: true })
  acknowledgedBy?: string | null;

  /** Deliveries about one thing (a missing episode's reports) share a key within a mailbox. */
  @Column({ name: 'thread_key', type: 'varchar', length: 120, nullable: true })
  threadKey?: string | null;

  /** Orders a thread's deliveries; the highest is the one the mailbox shows. */
  @Column({ name: 'thread_sequence', type: 'int', nullable: true })
  threadSequence?: number | null;

  /** The later delivery of the same thread that replaced this one in the mailbox. */
  @Column({ name: 'superseded_by', type: 'uuid', nullable: true })
  supersededBy?: string | null;

  /** When a retention rule purged the body (libs/retention); null while it is kept. */
  @Column({ name: 'purged_at', type: 'timestamptz', nullable: true })
  purgedAt?: Date | null;

  /** The retention rule the body was purged under. */
  @Column({ name: 'purge_rule', type: 'varchar', length: 60, nullable: true })
  purgeRule?: string | null;
}
