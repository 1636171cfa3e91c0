import { AgencyKind, AgencyKinds } from '@app/policy';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An organisation: a police force, an NHS trust, a local authority service, a MARAC. */
@Entity({ name: 'agency' })
export class AgencyEntity {
  /** Stable slug, e.g. `northshire-police`. */
  @PrimaryColumn({ type: 'varchar', length: 63 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'enum', enum: AgencyKinds, enumName: 'agency_kind' })
  kind!: AgencyKind;

  /** The area (local authority) whose calendar and MARAC the agency belongs to. */
  @Column({ type: 'varchar', length: 63 })
  area!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
