/**
 * Issue 12 finding 11 (second half): an operator lists and re-drives dead-lettered records.
 * Real: the Kafka broker (the operator principal and its ACLs from the test preparation),
 * PostgreSQL, the hub, the police and social care nodes (PoliceExchange), and `npm run
 * dead-letter` run as an operator runs it (a child process). Faked: nothing; the record is a
 * receipt the hub would forward, signed with the hub's own key from KEYS_DIR.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { deliveryTopic, ExchangeErrorCode, Topics } from '@app/contracts';
import { generateEncryptionKeyPair, writePrivateKeyFile } from '@app/crypto';
import { DataSource } from 'typeorm';

import { auditEventOf } from '../support/audit-signing';
import { PoliceExchange } from '../support/police-exchange';
import { RawTopicReader } from '../support/raw-topic-reader';
import { eventually, kafkaRecordsHandled } from '../support/service-harness';
import { publishAsTest } from '../support/test-kafka';

jest.setTimeout(180_000);

const root = path.join(__dirname, '..', '..');

function deadLetterCommand(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['-r', './scripts/run-ts.js', 'scripts/dead-letter.ts', ...args],
    { cwd: root, env: { ...process.env, SGX_OPERATOR: 'test-operator' }, encoding: 'utf8' },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface ReplayEvent {
  action: string;
  messageId?: string;
  detail?: string;
}

describe('issue 12 finding 11: npm run dead-letter lists and replays dead letters', () => {
  const exchange = new PoliceExchange();
  const submissions = new RawTopicReader(Topics.submissions);
  const deadLetters = new RawTopicReader(Topics.deadLetter);
  const auditEvents = new RawTopicReader(Topics.auditEvents);

  beforeAll(async () => {
    await exchange.start();
    await Promise.all([submissions, deadLetters, auditEvents].map((reader) => reader.start()));
  });

  afterAll(async () => {
    await Promise.all([submissions, deadLetters, auditEvents].map((reader) => reader.stop()));
    await exchange.stop();
  });

  /** Records of the police delivery topic the police node has handled (its /metrics). */
  const handledByPolice = () => kafkaRecordsHandled(exchange.police.url, deliveryTopic('police'));

  it('finding 11: a record dead-lettered for a missing key is listed without its content, replayed once the key is present, delivered exactly once however often it is replayed, and audited', async () => {
    const submitted = await exchange.submit(exchange.notification());
    const [{ messageId }] = submitted.notifications;
    await exchange.untilStatus(
      submitted.incidentId,
      (current) =>
        current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'delivered'),
      'the MASH delivery reported back to the police',
    );
    const subjectRef = (await eventually(
      async () => submissions.find((r) => r.headers?.ce_id?.toString() === messageId),
      { what: 'the police submission' },
    ))!.key!.toString();

    // Sealed to a police key whose private half is not (yet) on the police node's machine.
    const missingKey = await generateEncryptionKeyPair();
    const record = await exchange.hubReceiptToPolice(
      exchange.mashAcknowledgement(messageId),
      subjectRef,
      missingKey.publicJwk,
    );
    const receiptId = record.headers!.ce_id as string;
    await publishAsTest(deliveryTopic('police'), [record]);
    await eventually(
      async () => deadLetters.find((r) => r.headers?.ce_id?.toString() === receiptId),
      { what: 'the receipt on the dead-letter topic' },
    );

    const listed = deadLetterCommand(
      'list',
      '--code',
      ExchangeErrorCode.NOT_ADDRESSED_TO_NODE,
      '--message-id',
      receiptId,
    );
    expect(listed.stderr).toBe('');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(
        `\\d+:\\d+ \\S+ NOT_ADDRESSED_TO_NODE from ${deliveryTopic('police').replace(/\./g, '\\.')} message ${receiptId} `,
      ),
    );
    expect(listed.stdout).toContain('1 dead letters match');
    // Ids, codes and topics only: neither the sealed value nor the subject is printed.
    expect(listed.stdout).not.toContain(String(record.value).slice(0, 40));
    expect(listed.stdout).not.toContain(subjectRef);

    // A replay needs a filter or --all.
    expect(deadLetterCommand('replay').status).toBe(1);

    // The key is restored to the node's key directory; the record is re-driven.
    await writePrivateKeyFile(exchange.keysDir, 'police', missingKey);
    const handledBefore = await handledByPolice();
    const replayed = deadLetterCommand('replay', '--message-id', receiptId);
    expect(replayed.stderr).toBe('');
    expect(replayed.stdout).toContain('1 replayed');
    await exchange.untilStatus(
      submitted.incidentId,
      (current) =>
        current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'acknowledged'),
      'the replayed acknowledgement applied at the police',
    );

    // Replayed again: handled as a copy, nothing stored twice, nothing dead-lettered again.
    expect(deadLetterCommand('replay', '--message-id', receiptId).stdout).toContain('1 replayed');
    await eventually(
      async () => ((await handledByPolice()) >= handledBefore + 2 ? true : undefined),
      { what: 'both replayed copies handled by the police node' },
    );
    const police = exchange.police.app.get(DataSource);
    const rows: { count: number }[] = await police.query(
      'SELECT count(*)::int AS count FROM inbox_message WHERE message_id = $1',
      [receiptId],
    );
    expect(rows[0].count).toBe(1);
    expect(
      deadLetters.records.filter((r) => r.headers?.ce_id?.toString() === receiptId),
    ).toHaveLength(1);

    // Each replay is on the audit trail, with who ran it and which record.
    const replayEvents = await eventually(
      async () => {
        const events = auditEvents.records
          .map((r) => auditEventOf(r.value) as unknown as ReplayEvent | undefined)
          .filter((e) => e?.action === 'dead-letter-replayed' && e.messageId === receiptId);
        return events.length === 2 ? events : undefined;
      },
      { what: 'two dead-letter-replayed audit events' },
    );
    expect(replayEvents[0]!.detail).toMatch(
      new RegExp(`^by test-operator: ${Topics.deadLetter.replace(/\./g, '\\.')}/\\d+@\\d+ to `),
    );
  });
});
