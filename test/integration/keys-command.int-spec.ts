/**
 * Real: `npm run keys` and `npm run registry:seed` as operators run them (child processes), the
 * hub schema in PostgreSQL, the file system (a temporary KEYS_DIR). Faked: nothing.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Topics } from '@app/contracts';
import { loadNodeKeyring } from '@app/crypto';
import { DataSource } from 'typeorm';

import { auditEventOf } from '../support/audit-signing';
import { RawTopicReader } from '../support/raw-topic-reader';
import { createTestNodes, openHubDatabase, removeTestNodes } from '../support/registry-fixtures';
import { eventually } from '../support/service-harness';

const root = path.join(__dirname, '..', '..');

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['-r', './scripts/run-ts.js', script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('keys command and registry seed', () => {
  let db: DataSource;
  let keysDir: string;
  let nodeIds: string[] = [];

  const keys = (...args: string[]) => run('scripts/keys.ts', args, { KEYS_DIR: keysDir });

  /** Every private scalar on file: none may appear in output or in the database. */
  async function privateScalars(nodeId: string): Promise<string[]> {
    const dir = path.join(keysDir, nodeId);
    const files = (await fs.readdir(dir)).filter((name) => name.endsWith('.jwk.json'));
    return Promise.all(
      files.map(async (name) => JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')).d),
    );
  }

  beforeAll(async () => {
    db = await openHubDatabase();
    keysDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sgx-keys-cmd-'));
    // The command signs its audit events as the hub, with the hub's keys on the operator's disk.
    const hubKeys = path.join(path.resolve(process.env.KEYS_DIR || '.keys'), 'hub');
    await fs.cp(hubKeys, path.join(keysDir, 'hub'), { recursive: true });
    nodeIds = await createTestNodes(db, ['education']);
  });

  afterAll(async () => {
    await removeTestNodes(db, nodeIds);
    await db.destroy();
    await fs.rm(keysDir, { recursive: true, force: true });
  });

  it('generates, rotates with a grace period and revokes, never printing or storing private keys', async () => {
    const [node] = nodeIds;
    const generated = keys('generate', '--node', node);
    expect(generated.status).toBe(0);
    const first = await loadNodeKeyring(keysDir, node);
    expect((await fs.stat(path.join(keysDir, node))).mode & 0o777).toBe(0o700);

    const rotated = keys('rotate', '--node', node, '--grace-days', '2');
    expect(rotated.status).toBe(0);
    expect(rotated.output).toContain(`sig ${first.signing.kid} retiring: verifies for 2 more days`);
    const second = await loadNodeKeyring(keysDir, node);
    expect(second.signing.kid).not.toBe(first.signing.kid);
    // Still able to open records encrypted to the previous key while it rotates out.
    expect([...second.encryption.keys()].sort()).toEqual(
      [first.currentEncryptionKid, second.currentEncryptionKid].sort(),
    );

    // Status per kid, and the grace period measured from the rotation (the new keys' creation).
    const rows: { kid: string; status: string; grace: number | null }[] = await db.query(
      `SELECT k.kid, k.status, extract(epoch FROM k.retire_after - n.created_at)::float AS grace
         FROM node_key k JOIN node_key n ON n.kid = $2 WHERE k.node_id = $1`,
      [node, second.signing.kid],
    );
    expect(Object.fromEntries(rows.map((r) => [r.kid, r.status]))).toEqual({
      [first.signing.kid]: 'retiring',
      [first.currentEncryptionKid]: 'retiring',
      [second.signing.kid]: 'active',
      [second.currentEncryptionKid]: 'active',
    });
    for (const row of rows.filter((r) => r.status === 'retiring')) {
      expect(Math.abs(row.grace! - 2 * 24 * 3600)).toBeLessThan(60);
    }

    const revoked = keys('revoke', '--node', node, '--kid', first.currentEncryptionKid);
    expect(revoked.status).toBe(0);
    const third = await loadNodeKeyring(keysDir, node);
    expect([...third.encryption.keys()]).toEqual([second.currentEncryptionKid]);
    const listed = keys('list', '--node', node);
    expect(listed.output).toContain(`enc ${first.currentEncryptionKid} revoked at`);

    const secrets = await privateScalars(node);
    expect(secrets).toHaveLength(4);
    const stored = JSON.stringify(
      await db.query('SELECT * FROM node_key WHERE node_id = $1', [node]),
    );
    for (const secret of secrets) {
      for (const output of [
        generated.output,
        rotated.output,
        revoked.output,
        listed.output,
        stored,
      ]) {
        expect(output).not.toContain(secret);
      }
    }
    expect(stored).not.toMatch(/"d"\s*:/);

    // The rotation (both uses) and the revocation are on the audit topic, metadata only.
    const auditTopic = new RawTopicReader(Topics.auditEvents);
    await auditTopic.start();
    const keyEvents = await eventually(
      async () => {
        const events = auditTopic.records
          .map(
            (record) =>
              auditEventOf(record.value) as {
                action: string;
                senderNode?: string;
                detail?: string;
              },
          )
          .filter((event) => event.senderNode === node);
        return events.length >= 3 ? events : undefined;
      },
      { what: 'the key audit events' },
    );
    await auditTopic.stop();
    expect(keyEvents.map((event) => event.action).sort()).toEqual([
      'key-revoked',
      'key-rotated',
      'key-rotated',
    ]);
    expect(keyEvents.find((event) => event.action === 'key-revoked')?.detail).toBe(
      `enc key ${first.currentEncryptionKid}`,
    );
  });

  it('refuses a second generate and a node the registry does not know', () => {
    expect(keys('generate', '--node', nodeIds[0])).toMatchObject({
      status: 1,
      output: expect.stringContaining('already has current keys; use rotate'),
    });
    expect(keys('list', '--node', 'no-such-node')).toMatchObject({
      status: 1,
      output: expect.stringContaining('node no-such-node is not in the registry'),
    });
  });

  it('seeds the demo area idempotently', async () => {
    const first = run('scripts/registry-seed.ts', []);
    const second = run('scripts/registry-seed.ts', []);
    expect([first.status, second.status]).toEqual([0, 0]);
    // The file's own rows, each once (other tests add mailboxes of their own to these nodes).
    const area = JSON.parse(
      await fs.readFile(path.join(root, 'deploy/registry/demo-area.json'), 'utf8'),
    ) as { agencies: { id: string }[]; mailboxes: { id: string }[] };
    const [counts] = await db.query(
      `SELECT (SELECT count(*) FROM agency WHERE id = ANY($1) AND area = 'northshire')::int AS agencies,
              (SELECT count(*) FROM mailbox WHERE id = ANY($2))::int AS mailboxes`,
      [area.agencies.map((agency) => agency.id), area.mailboxes.map((mailbox) => mailbox.id)],
    );
    expect(counts).toEqual({ agencies: 7, mailboxes: 14 });
    expect([area.agencies.length, area.mailboxes.length]).toEqual([7, 14]);
    const [school] = await db.query(
      `SELECT id, node_id FROM mailbox WHERE kind = 'designated-safeguarding-lead' AND external_ref = '990101'`,
    );
    expect(school).toEqual({ id: 'school-990101-dsl', node_id: 'education' });
    const nodes = await db.query(`SELECT id FROM node WHERE id = ANY($1) ORDER BY id`, [
      ['education', 'health', 'marac', 'police', 'social-care'],
    ]);
    expect(nodes).toHaveLength(5);
  });
});
