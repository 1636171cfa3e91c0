/**
 * Issue 12 finding 11: rotating a running node's keys must not break it. Real: the Kafka broker,
 * PostgreSQL, the hub, the police and social care nodes (PoliceExchange), and `npm run keys --
 * rotate` run as an operator runs it (a child process on the same KEYS_DIR and database). Faked:
 * nothing; the record sealed to the retiring key is signed with the hub's own key from KEYS_DIR
 * (PoliceExchange.hubReceiptToPolice).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { deliveryTopic, Topics } from '@app/contracts';
import { decryptEnvelope, loadNodeKeyring } from '@app/crypto';
import { NodeKeyEntity } from '@app/registry';
import { decodeProtectedHeader, JWK } from 'jose';

import { PoliceExchange } from '../support/police-exchange';
import { RawTopicReader } from '../support/raw-topic-reader';
import { publishAsTest } from '../support/test-kafka';
import { eventually } from '../support/service-harness';

jest.setTimeout(180_000);

const root = path.join(__dirname, '..', '..');

describe('issue 12 finding 11: a running node follows a rotation of its keys', () => {
  const exchange = new PoliceExchange();
  const submissions = new RawTopicReader(Topics.submissions);

  beforeAll(async () => {
    await exchange.start();
    await submissions.start();
  });

  afterAll(async () => {
    await submissions.stop();
    await exchange.stop();
  });

  const deliveredToMash = (incidentId: string) =>
    exchange.untilStatus(
      incidentId,
      (current) =>
        current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'delivered'),
      'the MASH delivery reported back to the police',
    );

  const submissionOf = (messageId: string) =>
    eventually(async () => submissions.find((r) => r.headers?.ce_id?.toString() === messageId), {
      what: `submission ${messageId} on the topic`,
    });

  /** The kid the police node signed one of its submissions with (opened with the hub's key). */
  async function signingKidOf(messageId: string): Promise<string> {
    const record = await submissionOf(messageId);
    const hubRing = await loadNodeKeyring(exchange.keysDir, 'hub');
    const jws = await decryptEnvelope(record.value!.toString(), hubRing);
    return decodeProtectedHeader(jws).kid!;
  }

  const policeKeys = () =>
    exchange.hubDb
      .getRepository(NodeKeyEntity)
      .find({ where: { nodeId: 'police' }, order: { notBefore: 'ASC' } });

  it('finding 11: after npm run keys -- rotate the running police node signs with the new key, opens hub records sealed to it, and still opens those sealed to the retiring key', async () => {
    const before = await exchange.submit(exchange.notification());
    await deliveredToMash(before.incidentId);
    const oldRing = await loadNodeKeyring(exchange.keysDir, 'police');
    const oldEncryption = (await policeKeys()).find(
      (key) => key.kid === oldRing.currentEncryptionKid,
    )!.publicJwk as JWK;

    const rotated = spawnSync(
      process.execPath,
      ['-r', './scripts/run-ts.js', 'scripts/keys.ts', 'rotate', '--node', 'police'],
      { cwd: root, env: { ...process.env, KEYS_DIR: exchange.keysDir }, encoding: 'utf8' },
    );
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    const newRing = await loadNodeKeyring(exchange.keysDir, 'police');
    expect(newRing.currentEncryptionKid).not.toBe(oldRing.currentEncryptionKid);
    expect(await policeKeys()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kid: oldRing.currentEncryptionKid, status: 'retiring' }),
        expect.objectContaining({ kid: newRing.currentEncryptionKid, status: 'active' }),
      ]),
    );

    // The hub now seals the MASH's receipt, forwarded to the police, to the new key: the
    // running police node opens it (it was dead-lettered NOT_ADDRESSED_TO_NODE before).
    const after = await exchange.submit(exchange.notification());
    await deliveredToMash(after.incidentId);
    // And signs with its new key once it has seen the rotation (no restart).
    await eventually(
      async () => {
        const again = await exchange.submit(exchange.notification());
        const kid = await signingKidOf(again.notifications[0].messageId);
        return kid === newRing.signing.kid ? kid : undefined;
      },
      { what: 'a police submission signed with the new signing key' },
    );

    // A hub record sealed to the retiring key within the grace period still opens: the
    // MASH's acknowledgement of the second incident's notification.
    const [{ messageId }] = after.notifications;
    const record = await exchange.hubReceiptToPolice(
      exchange.mashAcknowledgement(messageId),
      (await submissionOf(messageId)).key!.toString(),
      oldEncryption,
    );
    await publishAsTest(deliveryTopic('police'), [record]);
    await exchange.untilStatus(
      after.incidentId,
      (current) =>
        current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'acknowledged'),
      'the acknowledgement sealed to the retiring key applied at the police',
    );
  });
});
