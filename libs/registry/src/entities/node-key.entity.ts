import { KeyStatus, KeyStatuses, KeyUse, KeyUses } from '@app/crypto';
import { JWK } from 'jose';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';

import { NodeEntity } from './node.entity';

/**
 * A node's public signing or encryption key. Only public halves are stored; the table refuses
 * private members by a CHECK constraint as well.
 */
@Entity({ name: 'node_key' })
@Index('node_key_one_active', ['nodeId', 'use'], { unique: true, where: `"status" = 'active'` })
export class NodeKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  kid!: string;

  @Column({ name: 'node_id', type: 'varchar', length: 63 })
  nodeId!: string;

  @ManyToOne(() => NodeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'node_id' })
  node?: NodeEntity;

  @Column({ type: 'enum', enum: KeyUses, enumName: 'key_use' })
  use!: KeyUse;

  /** The public JWK with kid, alg and use, exactly as the JWKS publishes it. */
  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: JWK;

  @Column({ type: 'enum', enum: KeyStatuses, enumName: 'key_status', default: 'active' })
  status!: KeyStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'not_before', type: 'timestamptz' })
  notBefore!: Date;

  /** End of the grace period once the key is rotated out. */
  @Column({ name: 'retire_after', type: 'timestamptz', nullable: true })
  retireAfter!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
