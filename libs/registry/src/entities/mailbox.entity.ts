import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { NodeEntity } from './node.entity';

export const MailboxKinds = [
  'designated-safeguarding-lead',
  'local-authority-education',
  'mash',
  'health-visiting',
  'school-nursing',
  'gp-practice',
  'hospital-safeguarding',
  'marac-coordinator',
  'police-safeguarding',
  'escalation',
  'other',
] as const;
export type MailboxKind = (typeof MailboxKinds)[number];

/** An addressable recipient inside a node: a school's DSL, a MASH team, a MARAC coordinator. */
@Entity({ name: 'mailbox' })
@Index('mailbox_external_ref_unique', ['kind', 'externalRef'], {
  unique: true,
  where: '"external_ref" IS NOT NULL',
})
export class MailboxEntity {
  /** Stable slug, e.g. `school-123456-dsl`. */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id!: string;

  @Column({ name: 'node_id', type: 'varchar', length: 63 })
  nodeId!: string;

  @ManyToOne(() => NodeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'node_id' })
  node?: NodeEntity;

  @Column({ type: 'enum', enum: MailboxKinds, enumName: 'mailbox_kind' })
  kind!: MailboxKind;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  /** An outside identifier that routes to this mailbox, e.g. a school's URN. */
  @Column({ name: 'external_ref', type: 'varchar', length: 50, nullable: true })
  externalRef!: string | null;
}
