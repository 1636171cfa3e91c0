import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A record delivered to this node, stored once: the primary key is the message id, so a
 * redelivered record finds its row already there and changes nothing. The body is kept as
 * delivered (a JWE encrypted to this node), so the inbox holds no plaintext at rest.
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

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'kafka_topic', type: 'varchar', length: 249 })
  kafkaTopic!: string;

  @Column({ name: 'kafka_partition', type: 'int' })
  kafkaPartition!: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  kafkaOffset!: string;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
