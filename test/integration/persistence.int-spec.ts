/**
 * Real: PostgreSQL with the hub's migrations applied by the prepare step. Faked: nothing.
 */
import { randomUUID } from 'node:crypto';

import { updateReturning } from '@app/persistence';
import { AgencyEntity, MailboxEntity, NodeEntity } from '@app/registry';
import { DataSource, QueryFailedError } from 'typeorm';

import { openHubDatabase } from '../support/registry-fixtures';

describe('registry tables through TypeORM after migrations', () => {
  let db: DataSource;
  const suffix = randomUUID().slice(0, 8);

  beforeAll(async () => {
    db = await openHubDatabase();
  });

  afterAll(async () => {
    await db.query('DELETE FROM mailbox WHERE node_id = $1', [`node-${suffix}`]);
    await db.query('DELETE FROM node WHERE id = $1', [`node-${suffix}`]);
    await db.query('DELETE FROM agency WHERE id = $1', [`agency-${suffix}`]);
    await db.destroy();
  });

  it('has no pending migrations: the schema is exactly what the migrations made', async () => {
    expect(await db.showMigrations()).toBe(false);
  });

  it('writes an agency, a node and a school mailbox, and reads them back with relations', async () => {
    await db.getRepository(AgencyEntity).save({
      id: `agency-${suffix}`,
      name: 'Northshire County Council Education',
      kind: 'education',
      area: 'northshire',
    });
    await db.getRepository(NodeEntity).save({
      id: `node-${suffix}`,
      agencyId: `agency-${suffix}`,
      kafkaPrincipal: `node-${suffix}`,
      status: 'active',
    });
    await db.getRepository(MailboxEntity).save({
      id: `school-${suffix}-dsl`,
      nodeId: `node-${suffix}`,
      kind: 'designated-safeguarding-lead',
      displayName: 'Hill Primary DSL',
      externalRef: `URN-${suffix}`,
    });

    const mailbox = await db.getRepository(MailboxEntity).findOne({
      where: { kind: 'designated-safeguarding-lead', externalRef: `URN-${suffix}` },
      relations: { node: { agency: true } },
    });
    expect(mailbox).toMatchObject({
      id: `school-${suffix}-dsl`,
      node: {
        id: `node-${suffix}`,
        status: 'active',
        agency: { kind: 'education', area: 'northshire' },
      },
    });
  });

  it('refuses a second mailbox of the same kind for the same school URN', async () => {
    await expect(
      db.getRepository(MailboxEntity).insert({
        id: `school-${suffix}-dsl-copy`,
        nodeId: `node-${suffix}`,
        kind: 'designated-safeguarding-lead',
        displayName: 'Duplicate',
        externalRef: `URN-${suffix}`,
      }),
    ).rejects.toBeInstanceOf(QueryFailedError);
  });
});

describe('updateReturning on PostgreSQL through TypeORM', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openHubDatabase();
    await db.query('CREATE TEMP TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
    await db.query('INSERT INTO counter VALUES (1, 0), (2, 0)');
  });

  afterAll(() => db.destroy());

  it('gives the rows an UPDATE changed, and none when it changed nothing', async () => {
    // The raw answer is [rows, count]: a guard on its length would see 2 either way.
    expect(await updateReturning(db, 'UPDATE counter SET n = n + 1 RETURNING id, n', [])).toEqual(
      expect.arrayContaining([
        { id: 1, n: 1 },
        { id: 2, n: 1 },
      ]),
    );
    expect(
      await updateReturning(db, 'UPDATE counter SET n = 0 WHERE id = $1 RETURNING id', [99]),
    ).toEqual([]);
  });

  it('gives the rows of an INSERT … RETURNING and of a DELETE … RETURNING', async () => {
    expect(
      await updateReturning(db, 'INSERT INTO counter VALUES ($1, 5) RETURNING id, n', [3]),
    ).toEqual([{ id: 3, n: 5 }]);
    expect(
      await updateReturning(db, 'DELETE FROM counter WHERE id = $1 RETURNING id', [3]),
    ).toEqual([{ id: 3 }]);
  });
});
