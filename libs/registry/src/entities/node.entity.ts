import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { AgencyEntity } from './agency.entity';

export const NodeStatuses = ['active', 'suspended'] as const;
export type NodeStatus = (typeof NodeStatuses)[number];

/** One running adapter connecting an agency to the exchange, with its own delivery topic. */
@Entity({ name: 'node' })
export class NodeEntity {
  @PrimaryColumn({ type: 'varchar', length: 63 })
  id!: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 63 })
  agencyId!: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: AgencyEntity;

  @Column({ type: 'enum', enum: NodeStatuses, enumName: 'node_status', default: 'active' })
  status!: NodeStatus;

  /** The node's Kafka principal (SASL/SCRAM user), allowed to read only its delivery topic. */
  @Column({ name: 'kafka_principal', type: 'varchar', length: 100 })
  kafkaPrincipal!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
