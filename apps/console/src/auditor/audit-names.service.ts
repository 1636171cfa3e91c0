import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_ENV } from '@app/platform';

import { ConsoleEnv } from '../config/console.env';
import { AreaDirectory } from '../node-api/area-directory.service';

/** The exchange's own node id: the hub's events are the exchange's. */
const HUB = 'hub';

/**
 * Names for the ids the trail holds, from the area file: an auditor reads "Hillside Primary
 * School DSL (Northshire County Council, Education)", never `school-990101-dsl`. An id the area
 * does not know is shown as it is, marked so.
 */
@Injectable()
export class AuditNames {
  constructor(
    private readonly area: AreaDirectory,
    @Inject(SERVICE_ENV) private readonly env: ConsoleEnv,
  ) {}

  /** The audit service's API, which the auditor's pages call with the person's token. */
  get auditUrl(): string {
    return this.env.CONSOLE_AUDIT_URL;
  }

  agency(id: string | null | undefined): string {
    if (!id) return 'Not recorded';
    return this.area.agencyName(id) ?? `${id} (not in the area’s registry)`;
  }

  mailbox(id: string | null | undefined): string {
    if (!id) return 'Not recorded';
    return this.area.mailbox(id)?.displayName ?? `${id} (not in the area’s registry)`;
  }

  /** A mailbox with the agency that holds it, when the row says which. */
  mailboxOf(id: string | null | undefined, agencyId?: string | null): string {
    const mailbox = this.mailbox(id);
    return agencyId ? `${mailbox}, ${this.agency(agencyId)}` : mailbox;
  }

  /** Who emitted an event: the exchange itself, or an agency's node. */
  actor(nodeId: string): string {
    if (nodeId === HUB) return 'The exchange';
    return this.area.nodeAgencyName(nodeId) ?? nodeId;
  }

  agencies(): { value: string; text: string }[] {
    return this.area.agencyList().map((agency) => ({ value: agency.id, text: agency.name }));
  }

  mailboxes(): { value: string; text: string }[] {
    return this.area.mailboxList().map((mailbox) => ({
      value: mailbox.id,
      text: mailbox.displayName,
    }));
  }
}
