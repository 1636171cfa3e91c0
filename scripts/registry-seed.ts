/**
 * `npm run registry:seed [-- <file>]`: upserts a demo area's agencies, nodes, mailboxes and MARAC
 * members (default deploy/registry/demo-area.json) into the hub schema of DATABASE_URL.
 * Idempotent: a second run changes nothing; rows missing from the file are left alone, never
 * deleted.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { dataSourceOptions } from '@app/persistence';
import { validateEnv } from '@app/platform';
import { AgencyKinds } from '@app/policy';
import {
  AgencyEntity,
  MailboxEntity,
  MailboxKinds,
  MaracMemberEntity,
  NodeEntity,
} from '@app/registry';
import { DataSource } from 'typeorm';

import { HubEnv } from '../apps/hub/src/config/hub.env';
import { HUB_TABLES } from '../apps/hub/src/hub.tables';

interface AreaFile {
  area: string;
  agencies: { id: string; name: string; kind: string }[];
  nodes: { id: string; agencyId: string; kafkaPrincipal?: string }[];
  mailboxes: {
    id: string;
    nodeId: string;
    kind: string;
    displayName: string;
    externalRef?: string;
  }[];
  /** Per MARAC (an agency of kind marac), the agencies that are its members. */
  maracMembers?: { maracAgencyId: string; memberAgencyIds: string[] }[];
}

/** Fails naming the entry, before anything is written, rather than half-seeding. */
function check(file: AreaFile): void {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]{1,62}$/.test(file.area ?? '')) problems.push('area must be a slug');
  for (const agency of file.agencies ?? []) {
    if (!(AgencyKinds as readonly string[]).includes(agency.kind)) {
      problems.push(`agency ${agency.id}: unknown kind ${agency.kind}`);
    }
  }
  const agencyIds = new Set(file.agencies.map((a) => a.id));
  for (const node of file.nodes ?? []) {
    if (!agencyIds.has(node.agencyId))
      problems.push(`node ${node.id}: unknown agency ${node.agencyId}`);
  }
  const nodeIds = new Set(file.nodes.map((n) => n.id));
  for (const mailbox of file.mailboxes ?? []) {
    if (!nodeIds.has(mailbox.nodeId))
      problems.push(`mailbox ${mailbox.id}: unknown node ${mailbox.nodeId}`);
    if (!(MailboxKinds as readonly string[]).includes(mailbox.kind)) {
      problems.push(`mailbox ${mailbox.id}: unknown kind ${mailbox.kind}`);
    }
  }
  const kindOf = new Map(file.agencies.map((a) => [a.id, a.kind]));
  for (const marac of file.maracMembers ?? []) {
    if (kindOf.get(marac.maracAgencyId) !== 'marac') {
      problems.push(`maracMembers: ${marac.maracAgencyId} is not an agency of kind marac`);
    }
    for (const member of marac.memberAgencyIds) {
      if (!agencyIds.has(member)) problems.push(`maracMembers: unknown agency ${member}`);
    }
  }
  if (problems.length > 0) throw new Error(`invalid area file:\n  - ${problems.join('\n  - ')}`);
}

async function main(): Promise<void> {
  // From the project's root (npm scripts and prepare run there; so does the container image).
  const source = path.resolve(process.argv[2] ?? path.join('deploy', 'registry', 'demo-area.json'));
  const file = JSON.parse(readFileSync(source, 'utf8')) as AreaFile;
  check(file);

  const env = validateEnv(HubEnv, process.env);
  const db = await new DataSource(
    dataSourceOptions(
      { ...HUB_TABLES, schema: env.DATABASE_SCHEMA },
      { url: env.DATABASE_URL, poolSize: 2 },
    ),
  ).initialize();
  try {
    await db.transaction(async (manager) => {
      await manager.getRepository(AgencyEntity).upsert(
        file.agencies.map((a) => ({
          id: a.id,
          name: a.name,
          kind: a.kind as AgencyEntity['kind'],
          area: file.area,
        })),
        ['id'],
      );
      await manager.getRepository(NodeEntity).upsert(
        file.nodes.map((n) => ({
          id: n.id,
          agencyId: n.agencyId,
          kafkaPrincipal: n.kafkaPrincipal ?? n.id,
        })),
        ['id'],
      );
      await manager.getRepository(MailboxEntity).upsert(
        file.mailboxes.map((m) => ({
          id: m.id,
          nodeId: m.nodeId,
          kind: m.kind as MailboxEntity['kind'],
          displayName: m.displayName,
          externalRef: m.externalRef ?? null,
        })),
        ['id'],
      );
      const members = (file.maracMembers ?? []).flatMap((marac) =>
        marac.memberAgencyIds.map((memberAgencyId) => ({
          maracAgencyId: marac.maracAgencyId,
          memberAgencyId,
        })),
      );
      if (members.length > 0) {
        // Every column is the key: a member already recorded is left as it is.
        await manager
          .createQueryBuilder()
          .insert()
          .into(MaracMemberEntity)
          .values(members)
          .orIgnore()
          .execute();
      }
    });
    const memberCount = (file.maracMembers ?? []).reduce(
      (sum, marac) => sum + marac.memberAgencyIds.length,
      0,
    );
    console.log(
      `registry seeded from ${path.relative(process.cwd(), source)} (area ${file.area}): ${file.agencies.length} agencies, ${file.nodes.length} nodes, ${file.mailboxes.length} mailboxes, ${memberCount} MARAC members`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`registry:seed failed: ${(error as Error).message}`);
  process.exit(1);
});
