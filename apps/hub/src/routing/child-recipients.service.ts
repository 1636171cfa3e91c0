import { Injectable } from '@nestjs/common';
import { MailboxEntity, RegistryService } from '@app/registry';

import { HubEnv } from '../config/hub.env';
import { healthMailboxKindFor } from './health-mailbox-kind';

/** Who in an area hears of a child: the school (or the LA for a child educated at home), health, the MASH. */
export type ChildRecipientRole = 'school' | 'health' | 'mash';

/** A recipient the area has: its mailbox, loaded with its node and agency for the router. */
export interface ChildRecipient {
  role: ChildRecipientRole;
  mailbox: MailboxEntity;
}

/** A recipient the area should have but the registry does not: the sender is told, per recipient. */
export interface MissingRecipient {
  role: ChildRecipientRole;
  /** What the signed RECIPIENT_UNKNOWN rejection names: the URN, `educated-at-home` or the kind. */
  recipient: string;
  reason: string;
}

/** The child as the journeys' contracts describe it, as far as routing needs it. */
export interface RoutedChild {
  dateOfBirth: string;
  schoolUrn?: string;
  educatedAtHome?: boolean;
}

/**
 * The mailboxes that hear of a child in the area (missing episodes, domestic abuse incidents):
 * the area's `mash`; the child's school by URN (`designated-safeguarding-lead`), or the
 * `local-authority-education` mailbox for a child educated at home; health by the child's age on
 * the day it happened (healthMailboxKindFor). Each one the registry lacks is listed as missing,
 * so the route can still deliver to the others and tell the sender which one it could not.
 */
@Injectable()
export class ChildRecipients {
  constructor(
    private readonly registry: RegistryService,
    private readonly env: HubEnv,
  ) {}

  /**
   * @param on the day that decides the child's age (the episode's start, the incident)
   * @param senderNode the sender's own MASH is not told (social care reporting to itself)
   */
  async find(
    child: RoutedChild,
    on: Date,
    senderNode?: string,
  ): Promise<{ found: ChildRecipient[]; missing: MissingRecipient[] }> {
    const found: ChildRecipient[] = [];
    const missing: MissingRecipient[] = [];
    const mash = await this.registry.findMailboxByKind('mash');
    if (!mash) {
      missing.push({ role: 'mash', recipient: 'mash', reason: 'the area has no MASH mailbox' });
    } else if (mash.nodeId !== senderNode) found.push({ role: 'mash', mailbox: mash });

    const school = child.educatedAtHome
      ? await this.registry.findMailboxByKind('local-authority-education')
      : await this.registry.findMailboxByExternalRef(
          'designated-safeguarding-lead',
          child.schoolUrn!,
        );
    if (school) found.push({ role: 'school', mailbox: school });
    else if (child.educatedAtHome) {
      missing.push({
        role: 'school',
        recipient: 'educated-at-home',
        reason: 'the area has no local authority education mailbox',
      });
    } else {
      missing.push({
        role: 'school',
        recipient: child.schoolUrn!,
        reason: 'no school with this URN is in the registry',
      });
    }

    const healthKind = healthMailboxKindFor(child.dateOfBirth, on, this.env.DEADLINE_TIME_ZONE);
    const health = await this.registry.findMailboxByKind(healthKind);
    if (health) found.push({ role: 'health', mailbox: health });
    else {
      missing.push({
        role: 'health',
        recipient: healthKind,
        reason: `the area has no ${healthKind} mailbox`,
      });
    }
    return { found, missing };
  }
}
