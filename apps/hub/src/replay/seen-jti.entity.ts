import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A message id the hub accepted; the primary key is what makes a replay detectable. */
@Entity({ name: 'seen_jti' })
@Index('seen_jti_expires_at', ['expiresAt'])
export class SeenJtiEntity {
  @PrimaryColumn({ type: 'uuid' })
  jti!: string;

  @Column({ type: 'varchar', length: 63 })
  iss!: string;

  /** The envelope's exp plus the clock skew: until then a copy could still pass every other check. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
