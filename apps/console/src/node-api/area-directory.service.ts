import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_ENV } from '@app/platform';

import { ConsoleEnv } from '../config/console.env';

/** The console's node APIs, by the node ids of the area file. */
export type NodeApi = 'police' | 'education' | 'health' | 'social-care' | 'marac';

export interface MailboxEntry {
  id: string;
  nodeId: string;
  kind: string;
  displayName: string;
}

/**
 * The area's mailboxes (the registry's seed file, CONSOLE_AREA_FILE): which node holds a mailbox
 * and what it is called. No personal data; it only routes the console's calls and names pages.
 */
@Injectable()
export class AreaDirectory {
  private readonly mailboxes: Map<string, MailboxEntry>;
  private readonly agencies: Map<string, string>;
  private readonly nodeAgencies: Map<string, string>;

  constructor(@Inject(SERVICE_ENV) private readonly env: ConsoleEnv) {
    const file = path.resolve(env.CONSOLE_AREA_FILE);
    const area = JSON.parse(readFileSync(file, 'utf8')) as {
      mailboxes: MailboxEntry[];
      agencies?: { id: string; name: string }[];
      nodes?: { id: string; agencyId: string }[];
    };
    this.mailboxes = new Map(area.mailboxes.map((mailbox) => [mailbox.id, mailbox]));
    this.agencies = new Map((area.agencies ?? []).map((agency) => [agency.id, agency.name]));
    this.nodeAgencies = new Map((area.nodes ?? []).map((node) => [node.id, node.agencyId]));
  }

  mailbox(id: string): MailboxEntry | undefined {
    return this.mailboxes.get(id);
  }

  /** An agency's name ("Northshire Police"), for pages that would otherwise show its id. */
  agencyName(id: string | undefined): string | undefined {
    return id ? this.agencies.get(id) : undefined;
  }

  /** The area's agencies with their names, in the area file's order. */
  agencyList(): { id: string; name: string }[] {
    return [...this.agencies].map(([id, name]) => ({ id, name }));
  }

  /** Every mailbox of the area, in the area file's order. */
  mailboxList(): MailboxEntry[] {
    return [...this.mailboxes.values()];
  }

  /** The agency a node serves ("education" → Northshire County Council, Education). */
  nodeAgencyName(nodeId: string | undefined): string | undefined {
    return nodeId ? this.agencyName(this.nodeAgencies.get(nodeId)) : undefined;
  }

  /** The base URL of a node's API. */
  nodeUrl(nodeId: string): string | undefined {
    const urls: Record<string, string> = {
      police: this.env.CONSOLE_POLICE_URL,
      education: this.env.CONSOLE_EDUCATION_URL,
      health: this.env.CONSOLE_HEALTH_URL,
      'social-care': this.env.CONSOLE_SOCIAL_CARE_URL,
      marac: this.env.CONSOLE_MARAC_URL,
    };
    return urls[nodeId];
  }
}
