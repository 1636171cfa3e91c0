import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { AgencyEntity } from './agency.entity';

/**
 * An agency that is a member of a MARAC: the hub delivers that MARAC's information requests,
 * actions and escalations only to mailboxes of its members. Kept in the registry, so the hub
 * decides membership itself, whatever a MARAC's message names.
 */
@Entity({ name: 'marac_member' })
export class MaracMemberEntity {
  /** The MARAC (an agency of kind `marac`). */
  @PrimaryColumn({ name: 'marac_agency_id', type: 'varchar', length: 63 })
  maracAgencyId!: string;

  @PrimaryColumn({ name: 'member_agency_id', type: 'varchar', length: 63 })
  memberAgencyId!: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'marac_agency_id' })
  marac?: AgencyEntity;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_agency_id' })
  member?: AgencyEntity;
}
