import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_ENV } from '@app/platform';

import { ConsoleEnv } from '../config/console.env';
import { NodeApiClient } from '../node-api/node-api.client';
import { formatDateTime } from '../presentation/area-time';
import { messageTypeLabel } from '../presentation/message-labels';
import { ActiveSession } from '../session/console-sessions.service';
import { DeadLetterJson, PolicyJson, RegistryJson } from './hub-admin.json';

const KEY_STATUS: Record<string, { text: string; colour: string }> = {
  active: { text: 'Current', colour: 'green' },
  retiring: { text: 'Rotating out', colour: 'orange' },
  revoked: { text: 'Revoked', colour: 'red' },
};

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/**
 * The administrator's pages, read from the hub's admin API as the signed-in person (the hub
 * lets `admin` only): the registry, node keys, dead letters and the sharing policy in force.
 */
@Injectable()
export class AdministratorPages {
  constructor(
    @Inject(SERVICE_ENV) private readonly env: ConsoleEnv,
    private readonly api: NodeApiClient,
  ) {}

  async page(session: ActiveSession) {
    const hub = this.env.CONSOLE_HUB_URL;
    const [registry, deadLetters, policy] = await Promise.all([
      this.api.get<RegistryJson>(session, hub, '/admin/registry'),
      this.api.get<{ items: DeadLetterJson[] }>(session, hub, '/admin/dead-letters'),
      this.api.get<PolicyJson>(session, hub, '/admin/policy'),
    ]);
    const agencyName = new Map(registry.agencies.map((agency) => [agency.id, agency.name]));
    const nameOf = (id: string) => agencyName.get(id) ?? id;
    const nodeAgency = new Map(registry.nodes.map((node) => [node.id, nameOf(node.agencyId)]));
    const marac = new Map<string, string[]>();
    for (const member of registry.maracMembers) {
      marac.set(member.maracAgencyId, [
        ...(marac.get(member.maracAgencyId) ?? []),
        nameOf(member.memberAgencyId),
      ]);
    }
    return {
      agencies: registry.agencies,
      nodes: registry.nodes.map((node) => ({ ...node, agency: nameOf(node.agencyId) })),
      mailboxes: registry.mailboxes.map((mailbox) => ({
        ...mailbox,
        agency: nodeAgency.get(mailbox.nodeId) ?? mailbox.nodeId,
      })),
      maracs: [...marac].map(([id, members]) => ({ name: nameOf(id), members })),
      keys: registry.keys.map((key) => ({
        kid: key.kid,
        node: nodeAgency.get(key.nodeId) ?? key.nodeId,
        nodeId: key.nodeId,
        use: key.use === 'sig' ? 'Signing' : 'Encryption',
        status: KEY_STATUS[key.status] ?? { text: key.status, colour: 'grey' },
        rotating: key.rotating,
        created: formatDateTime(key.createdAt),
        age: plural(key.ageDays, 'day'),
        expires: key.expiresAt
          ? `Stops verifying ${formatDateTime(key.expiresAt)}`
          : key.revokedAt
            ? `Revoked ${formatDateTime(key.revokedAt)}`
            : 'No expiry: until rotated',
      })),
      rotatingKeys: registry.keys.filter((key) => key.rotating).length,
      deadLetters: deadLetters.items.map((letter) => ({
        ...letter,
        when: formatDateTime(letter.time),
        typeLabel: letter.type ? messageTypeLabel(letter.type.replace(/\.v\d+$/, '')) : 'Unknown',
      })),
      policy,
    };
  }

  /** Re-drives one dead letter through the hub (the operator tool's code, run there). */
  async replay(session: ActiveSession, record: string): Promise<void> {
    await this.api.post(
      session,
      this.env.CONSOLE_HUB_URL,
      `/admin/dead-letters/${encodeURIComponent(record)}/replay`,
      {},
    );
  }
}
