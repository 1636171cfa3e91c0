/**
 * The hostile-input suite, Kafka half (issue 12): records an attacker with broker credentials
 * could write are sent to every consumed topic — the hub's submissions and receipts, each node's
 * delivery topic, the audit events — generated from tables of record classes × topics:
 * unparseable bytes, broken CloudEvents headers, forged envelopes (a key nobody registered, alg
 * none, HS256 with a public key, an altered signature, another node's key, a wrong typ),
 * envelopes not encrypted or encrypted to a key the recipient lacks, signed payloads with NUL,
 * lone surrogates, prototype keys, deep nesting (1,000 levels) and oversize values, a real message replayed
 * (within its lifetime and after it) and re-headered, and audit events unsigned, forged or from
 * the wrong service. Each case asserts the specific refusal code on the record set aside
 * (the hub's quarantine, a node's or the audit service's dead-letter topic), that nothing was
 * delivered (no inbox row, no chain row), and, for the whole run, that the real message's
 * status did not change, that the audit chain still verifies and that an ordinary incident sent
 * alongside each group is delivered within seconds. Every case is recorded in HostileTally.
 * Real: the broker, PostgreSQL, the hub, the five nodes and the audit service with their Kafka
 * transports (PoliceExchange and three more nodes), keys registered in the test registry.
 */
import { randomUUID } from 'node:crypto';

import {
  AuditEvent,
  DOMESTIC_ABUSE_NOTIFICATION,
  deliveryTopic,
  envelopeKafkaRecord,
  ExchangeErrorCode,
  RECEIPT,
  Topics,
} from '@app/contracts';
import {
  encryptEnvelope,
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  loadNodeKeyring,
  signAuditEvent,
  signEnvelope,
  SigningKey,
} from '@app/crypto';
import { DeadLetterHeader, OutgoingRecord } from '@app/messaging';
import { NodeKeyEntity, NodeKeyService } from '@app/registry';
import { base64url, JWK } from 'jose';
import { KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { ChainVerifier } from '../../apps/audit/src/chain/chain-verifier.service';
import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../apps/health-adapter/src/app.module';
import { AppModule as MaracModule } from '../../apps/marac/src/app.module';
import { PoliceExchange } from '../support/police-exchange';
import { RawTopicReader } from '../support/raw-topic-reader';
import { registerNodeKeys } from '../support/registry-fixtures';
import { eventually, RunningService, startService } from '../support/service-harness';
import { publishAsTest } from '../support/test-kafka';
import { HostileTally } from './support/hostile-tally';

jest.setTimeout(600_000);

const NODES = ['police', 'education', 'health', 'social-care', 'marac'] as const;
type Node = (typeof NODES)[number];

/** A consumed topic, who reads it, where it sets refused records aside, and who writes it. */
interface Target {
  topic: string;
  /** `hub` for submissions and receipts, a node id for its delivery topic. */
  reader: 'hub' | Node;
  /** The legitimate signer of its envelopes. */
  signer: 'police' | 'hub';
  type: 'submission' | 'receipt';
}

const TARGETS: Target[] = [
  { topic: Topics.submissions, reader: 'hub', signer: 'police', type: 'submission' },
  { topic: Topics.receipts, reader: 'hub', signer: 'police', type: 'receipt' },
  ...NODES.map((node): Target => ({
    topic: deliveryTopic(node),
    reader: node,
    signer: 'hub',
    type: 'receipt',
  })),
];

/**
 * Text PostgreSQL cannot store as it came. (Other control characters inside a signed payload are
 * not refused on Kafka today: only the HTTP boundary refuses them.)
 */
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800', 'a\ud83d'];
const UNSTORABLE = ['\u0000', ...LONE_SURROGATES];

/** What a case must produce. */
type Outcome =
  | { refused: ExchangeErrorCode | ExchangeErrorCode[] }
  /** A copy of something already taken: changes nothing, stored once (idempotent by id). */
  | { ignored: true };

interface KafkaCase {
  name: string;
  topic: string;
  record: OutgoingRecord;
  /** The message id a delivery would have been stored under, if any. */
  messageId?: string;
  outcome: Outcome;
}

describe('hostile Kafka records to every consumed topic', () => {
  const exchange = new PoliceExchange();
  const tally = new HostileTally('kafka-records');
  const quarantine = new RawTopicReader(Topics.quarantine);
  const deadLetter = new RawTopicReader(Topics.deadLetter);
  const submissions = new RawTopicReader(Topics.submissions);
  const mashDeliveries = new RawTopicReader(deliveryTopic('social-care'));
  const others: RunningService[] = [];
  let audit: RunningService;
  const nodeDb = new Map<string, DataSource>();

  const signing = new Map<string, SigningKey>();
  const encryption = new Map<string, JWK>();
  let stranger: SigningKey & { publicJwk: JWK };
  let strangerEnc: JWK;
  let firstAuditSeq: number;

  /** The real incident whose status must not change, and its records as the exchange sent them. */
  let real: { incidentId: string; messageId: string; submission: KafkaMessage; view: KafkaMessage };
  let realStatus: string;

  beforeAll(async () => {
    await exchange.start();
    for (const node of ['education', 'health', 'marac']) {
      await registerNodeKeys(exchange.hubDb, exchange.keysDir, node);
    }
    process.env.AUDIT_REGISTRY_URL = `${exchange.hub.url}/.well-known/nodes/`;
    for (const module of [EducationModule, HealthModule, MaracModule]) {
      others.push(await startService(module));
    }
    audit = await startService(AuditModule);
    nodeDb.set('police', exchange.police.app.get(DataSource));
    nodeDb.set('social-care', exchange.socialCare.app.get(DataSource));
    for (const [index, node] of ['education', 'health', 'marac'].entries()) {
      nodeDb.set(node, others[index].app.get(DataSource));
    }
    const keys = new NodeKeyService(exchange.hubDb.getRepository(NodeKeyEntity));
    for (const node of ['hub', ...NODES]) {
      signing.set(node, (await loadNodeKeyring(exchange.keysDir, node)).signing);
      encryption.set(node, (await keys.current(node, 'enc'))!);
    }
    stranger = await generateSigningKeyPair();
    strangerEnc = (await generateEncryptionKeyPair()).publicJwk;
    await Promise.all(
      [quarantine, deadLetter, submissions, mashDeliveries].map((reader) => reader.start()),
    );
    const [{ seq }] = (await audit.app
      .get(DataSource)
      .query('SELECT seq FROM audit_chain_head WHERE id = 1')) as { seq: string }[];
    firstAuditSeq = Number(seq) + 1;

    // One real incident, delivered to the MASH: its records are what replays and re-headers copy.
    const submitted = await exchange.submit(exchange.notification());
    const messageId = submitted.notifications[0].messageId;
    await deliveredToMash(submitted.incidentId);
    const submission = await eventually(
      async () => submissions.find((r) => r.headers?.ce_id?.toString() === messageId),
      { what: 'the real submission on its topic' },
    );
    const view = await eventually(
      async () => mashDeliveries.find((r) => r.key?.equals(submission.key!) ?? false),
      {
        what: 'the real view on the MASH delivery topic',
      },
    );
    real = { incidentId: submitted.incidentId, messageId, submission, view };
    realStatus = statusShape(await exchange.statusOf(submitted.incidentId));
  });

  afterAll(async () => {
    await Promise.all(
      [quarantine, deadLetter, submissions, mashDeliveries].map((reader) => reader.stop()),
    );
    await Promise.all([audit, ...others].map((service) => service?.app.close()));
    await exchange.stop();
    const { passed, failed } = tally.counts;
    console.log(`kafka-records hostile cases: ${passed} passed, ${failed} failed`);
  });

  function statusShape(status: Awaited<ReturnType<PoliceExchange['statusOf']>>): string {
    return JSON.stringify({
      status: status.status,
      recipients: status.recipients.map((r) => [r.mailboxId, r.status]),
    });
  }

  function deliveredToMash(incidentId: string) {
    return exchange.untilStatus(
      incidentId,
      (current) =>
        current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'delivered'),
      'an ordinary incident delivered to the MASH',
    );
  }

  // ---------------------------------------------------------------------------------------
  // Record builders

  const now = () => Math.floor(Date.now() / 1000);

  function bodyFor(target: Target, hazard: Record<string, unknown> = {}): object {
    if (target.type === 'submission') return { ...exchange.notification(), ...hazard };
    return {
      messageId: randomUUID(),
      mailboxId: 'mash',
      status: 'delivered',
      at: new Date().toISOString(),
      ...hazard,
    };
  }

  function typeOf(target: Target) {
    return target.type === 'submission' ? DOMESTIC_ABUSE_NOTIFICATION : RECEIPT;
  }

  interface EnvelopeOptions {
    body?: object;
    key?: SigningKey;
    iss?: string;
    iat?: number;
    exp?: number;
    jti?: string;
    /** Rewrites the signed JWS before it is encrypted (forged headers, altered signatures). */
    forge?: (jws: string, claims: object) => string;
    /** The key it is encrypted to; `null` leaves the signed JWS unencrypted. */
    encryptTo?: JWK | null;
  }

  /** A signed and encrypted envelope as the topic's legitimate signer would write it. */
  async function envelope(target: Target, options: EnvelopeOptions = {}) {
    const definition = typeOf(target);
    const claims = {
      iss: options.iss ?? target.signer,
      sub: `subj-${randomUUID()}`,
      jti: options.jti ?? randomUUID(),
      iat: options.iat ?? now(),
      type: definition.type,
      version: definition.version,
    };
    let jws = await signEnvelope(
      {
        ...claims,
        body: options.body ?? bodyFor(target),
        ...(options.exp ? { exp: options.exp } : {}),
      },
      options.key ?? signing.get(target.signer)!,
    );
    if (options.forge) jws = options.forge(jws, claims);
    const value =
      options.encryptTo === null
        ? jws
        : await encryptEnvelope(jws, options.encryptTo ?? encryption.get(target.reader)!);
    return { record: envelopeKafkaRecord(value, claims), messageId: claims.jti };
  }

  /** A JWS whose protected header the attacker chose, over the claims `claims` (unsigned). */
  const reheadered = (jws: string, header: object, signature?: string) => {
    const [, payload, original] = jws.split('.');
    return `${base64url.encode(JSON.stringify(header))}.${payload}.${signature ?? original}`;
  };

  const refused = (...codes: ExchangeErrorCode[]): Outcome => ({
    refused: codes.length === 1 ? codes[0] : codes,
  });
  const C = ExchangeErrorCode;

  // ---------------------------------------------------------------------------------------
  // The tables: record classes for every envelope topic, then for the audit topic.

  type EnvelopeClass = (target: Target, variant: number) => Promise<Omit<KafkaCase, 'topic'>>;

  /** Unparseable or foreign bytes: never opened, never retried. */
  const UNPARSEABLE: [string, (i: number) => string | Buffer][] = [
    ['random text', (i) => `hostile text ${i} ${randomUUID()}`],
    ['broken JSON', (i) => `{"jti": "${randomUUID()}", "n": ${i},`],
    ['a JSON object', (i) => JSON.stringify({ jti: randomUUID(), n: i })],
    ['five dotted garbage parts', () => `a.b.c.d.${randomUUID()}`],
    ['three dotted garbage parts', () => `x.y.${randomUUID()}`],
    [
      'binary bytes',
      () => Buffer.concat([Buffer.from([0xff, 0xfe, 0x01]), Buffer.from(randomUUID())]),
    ],
  ];

  const envelopeClasses: [string, number, EnvelopeClass][] = [
    [
      'unparseable bytes',
      UNPARSEABLE.length,
      async (target, i) => {
        const [what, make] = UNPARSEABLE[i];
        const id = randomUUID();
        return {
          name: what,
          record: {
            key: `subj-${id}`,
            value: make(i) as string,
            headers: envelopeKafkaRecord('x', {
              iss: target.signer,
              sub: `subj-${id}`,
              jti: id,
              iat: now(),
              type: typeOf(target).type,
              version: 1,
            }).headers,
          },
          messageId: id,
          // Three dotted parts look like a JWS: the hub says it was not encrypted to it.
          outcome: refused(
            target.reader === 'hub' && what === 'three dotted garbage parts'
              ? C.NOT_ENCRYPTED
              : C.MALFORMED,
          ),
        };
      },
    ],
    [
      'broken CloudEvents headers',
      4,
      async (target, i) => {
        const { record, messageId } = await envelope(target);
        const headers = { ...record.headers! };
        const variants: [string, () => void][] = [
          ['no headers', () => Object.keys(headers).forEach((name) => delete headers[name])],
          ['ce_id is not a UUID', () => (headers.ce_id = `not-a-uuid-${randomUUID()}`)],
          ['ce_source names another node', () => (headers.ce_source = 'health')],
          ['ce_type of another message', () => (headers.ce_type = 'uk.example.other.v1')],
        ];
        variants[i][1]();
        return {
          name: variants[i][0],
          record: { ...record, headers },
          messageId,
          // A node reads the headers before anything else (MALFORMED); the hub compares them
          // with the envelope it opened (RECORD_MISMATCH).
          outcome: refused(C.MALFORMED, C.RECORD_MISMATCH),
        };
      },
    ],
    [
      'forged envelope',
      7,
      async (target, i) => {
        const other = target.signer === 'hub' ? 'police' : 'health';
        const variants: [string, EnvelopeOptions, Outcome][] = [
          ['signed with a key nobody registered', { key: stranger }, refused(C.KID_UNKNOWN)],
          [
            'alg none',
            {
              forge: (jws) =>
                reheadered(jws, { alg: 'none', kid: 'x', typ: 'sgx-envelope+jws' }, ''),
            },
            refused(C.ALG_NOT_ALLOWED, C.MALFORMED),
          ],
          [
            'HS256 keyed with the public key',
            {
              forge: (jws) =>
                reheadered(jws, {
                  alg: 'HS256',
                  kid: signing.get(target.signer)!.kid,
                  typ: 'sgx-envelope+jws',
                }),
            },
            refused(C.ALG_NOT_ALLOWED),
          ],
          [
            'an altered signature',
            { forge: (jws) => `${jws.slice(0, -6)}AAAAAA` },
            refused(C.SIGNATURE_INVALID),
          ],
          [
            `re-signed by ${other}'s registered key, claiming ${target.signer}`,
            { key: signing.get(other)! },
            // The hub resolves any node's kid, then finds it is not the claimed sender's; a node
            // knows only the hub's keys.
            refused(target.reader === 'hub' ? C.KID_NODE_MISMATCH : C.KID_UNKNOWN),
          ],
          [
            'another typ',
            {
              forge: (jws) =>
                reheadered(jws, {
                  alg: 'EdDSA',
                  kid: signing.get(target.signer)!.kid,
                  typ: 'JWT',
                }),
            },
            refused(C.TYP_INVALID),
          ],
          [
            'expired long ago',
            { iat: now() - 10 * 86_400, exp: now() - 9 * 86_400 },
            refused(C.EXPIRED),
          ],
        ];
        const [name, options, outcome] = variants[i];
        return { name, ...(await envelope(target, options)), outcome };
      },
    ],
    [
      'not sealed to the reader',
      2,
      async (target, i) => {
        const variants: [string, EnvelopeOptions, Outcome][] = [
          [
            'signed but not encrypted',
            { encryptTo: null },
            refused(target.reader === 'hub' ? C.NOT_ENCRYPTED : C.MALFORMED),
          ],
          [
            'encrypted to a key the reader lacks',
            { encryptTo: strangerEnc },
            refused(C.NOT_ADDRESSED_TO_NODE),
          ],
        ];
        const [name, options, outcome] = variants[i];
        return { name, ...(await envelope(target, options)), outcome };
      },
    ],
    [
      'hostile text in a signed payload',
      UNSTORABLE.length,
      async (target, i) => {
        const hazard = UNSTORABLE[i];
        const field = target.type === 'submission' ? 'location' : 'by';
        const name = i === 0 ? `NUL in ${field}` : `lone surrogate ${i} in ${field}`;
        const body = bodyFor(target, { [field]: `before ${hazard} after` });
        return { name, ...(await envelope(target, { body })), outcome: refused(C.UNSTORABLE_TEXT) };
      },
    ],
    [
      'hostile structure in a signed payload',
      7,
      async (target, i) => {
        let deep: unknown = 'bottom';
        for (let depth = 0; depth < 1_000; depth++) deep = [deep];
        // A key JSON.parse keeps as the payload's own (an object literal would set the prototype).
        const own = (json: string) => JSON.parse(json) as Record<string, unknown>;
        const variants: [string, Record<string, unknown>][] = [
          ['a prototype key', { prototype: { polluted: true } }],
          ['a __proto__ key', own('{"__proto__": {"polluted": true}}')],
          [
            'a constructor.prototype key',
            own('{"constructor": {"prototype": {"polluted": true}}}'),
          ],
          ['a control character', { extra: 'before \u001b[2J after' }],
          ['nested 1,000 deep', { extra: deep }],
          ['a 200 KB string', { extra: 'x'.repeat(200_000) }],
          ['wrong types', { at: 42, status: ['delivered'], messageId: { $ne: null } }],
        ];
        const [name, hazard] = variants[i];
        const body = bodyFor(target, hazard);
        return {
          name,
          ...(await envelope(target, { body })),
          outcome: refused(C.SCHEMA_INVALID, C.UNPROCESSABLE),
        };
      },
    ],
  ];

  /**
   * Copies of the real incident's records: the message id the exchange already decided on. The
   * hub refuses each distinct copy once (by its bytes), so a re-headered copy of the same bytes
   * after the replay would not be set aside again; re-headered records are the class above.
   */
  const realCopies: [string, string, () => Promise<OutgoingRecord>, Outcome][] = [
    [
      Topics.submissions,
      'the real submission replayed within its lifetime',
      async () => copyOf(real.submission),
      // Byte for byte what the broker may redeliver: taken once, never refused, nothing changes.
      { ignored: true },
    ],
    [
      Topics.submissions,
      'the real message id re-signed after its lifetime',
      async () =>
        (
          await envelope(TARGETS[0], {
            jti: real.messageId,
            iat: now() - 10 * 86_400,
            exp: now() - 9 * 86_400,
          })
        ).record,
      refused(C.EXPIRED),
    ],
    [
      deliveryTopic('social-care'),
      'the real view replayed to the MASH',
      async () => copyOf(real.view),
      { ignored: true },
    ],
  ];

  function copyOf(message: KafkaMessage, headers: Record<string, string> = {}): OutgoingRecord {
    return {
      key: message.key!.toString(),
      value: message.value!.toString(),
      headers: {
        ...Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
        ...headers,
      },
    };
  }

  // Audit events: as an attacker would publish them to the trail.
  const auditEvent = (actor: string): AuditEvent => ({
    eventId: randomUUID(),
    action: 'acknowledged',
    actor,
    occurredAt: new Date().toISOString(),
    messageId: randomUUID(),
  });
  const auditClasses: [
    string,
    number,
    (i: number) => Promise<[string, string | Buffer, Outcome]>,
  ][] = [
    [
      'unsigned or unparseable',
      UNPARSEABLE.length + NODES.length + 1,
      async (i) => {
        if (i < UNPARSEABLE.length) {
          const [what, make] = UNPARSEABLE[i];
          return [what, make(i), refused(C.AUDIT_EVENT_UNSIGNED)];
        }
        const actor = ['hub', ...NODES][i - UNPARSEABLE.length];
        return [
          `a bare JSON event from ${actor}`,
          JSON.stringify(auditEvent(actor)),
          refused(C.AUDIT_EVENT_UNSIGNED),
        ];
      },
    ],
    [
      'from the wrong service',
      (NODES.length + 1) * NODES.length,
      async (i) => {
        const services = ['hub', ...NODES];
        const signer = services[Math.floor(i / NODES.length)];
        const claimed = services.filter((service) => service !== signer)[i % NODES.length];
        return [
          `claiming ${claimed}, signed by ${signer}`,
          await signAuditEvent(JSON.stringify(auditEvent(claimed)), signing.get(signer)!),
          refused(C.AUDIT_EVENT_WRONG_SIGNER),
        ];
      },
    ],
    [
      'forged signature',
      5,
      async (i) => {
        const event = auditEvent('hub');
        const genuine = await signAuditEvent(JSON.stringify(event), signing.get('hub')!);
        const [header, , signature] = genuine.split('.');
        const payload = base64url.encode(JSON.stringify({ ...event, action: 'verified' }));
        const variants: [string, string][] = [
          ['a key nobody registered', await signAuditEvent(JSON.stringify(event), stranger)],
          [
            'alg none',
            `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'sgx-audit-event+jws', kid: signing.get('hub')!.kid }))}.${payload}.x`,
          ],
          [
            'HS256',
            `${base64url.encode(JSON.stringify({ alg: 'HS256', typ: 'sgx-audit-event+jws', kid: signing.get('hub')!.kid }))}.${payload}.${signature}`,
          ],
          ['an altered event', `${header}.${payload}.${signature}`],
          [
            'an envelope typ',
            reheadered(genuine, {
              alg: 'EdDSA',
              typ: 'sgx-envelope+jws',
              kid: signing.get('hub')!.kid,
            }),
          ],
        ];
        const [name, value] = variants[i];
        return [name, value, refused(C.AUDIT_EVENT_BAD_SIGNATURE)];
      },
    ],
    [
      'hostile text in a signed event',
      LONE_SURROGATES.length + 2,
      async (i) => {
        const detail =
          i < LONE_SURROGATES.length
            ? `x ${LONE_SURROGATES[i]} y`
            : i === LONE_SURROGATES.length
              ? 'NUL \u0000'
              : 'x'.repeat(20_000);
        const value = await signAuditEvent(
          JSON.stringify({ ...auditEvent('hub'), detail }),
          signing.get('hub')!,
        );
        const code = i === LONE_SURROGATES.length + 1 ? C.TOO_LARGE : C.UNSTORABLE_TEXT;
        return [`detail ${i}`, value, refused(code)];
      },
    ],
  ];

  // ---------------------------------------------------------------------------------------
  // Running the cases

  /** The code of the record set aside for `value`, on quarantine or dead-letter. */
  function refusalCodeOf(value: string | Buffer): string | undefined {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
    const matches = (record: KafkaMessage) => {
      if (!record.value) return false;
      if (record.headers?.sgx_value_encoding?.toString() === 'base64') {
        return Buffer.from(record.value.toString(), 'base64').equals(bytes);
      }
      // A non-UTF-8 value reaches a consumer as text, as Nest's parser decodes it.
      return record.value.equals(bytes) || record.value.equals(Buffer.from(bytes.toString('utf8')));
    };
    const quarantined = quarantine.records.find(matches);
    if (quarantined) return quarantined.headers?.sgx_refusal_code?.toString();
    return deadLetter.records.find(matches)?.headers?.[DeadLetterHeader.code]?.toString();
  }

  async function inboxHas(reader: string, messageId: string | undefined): Promise<number> {
    const db = nodeDb.get(reader);
    if (!db || !messageId) return 0;
    const rows = (await db.query(
      'SELECT count(*)::int AS n FROM inbox_message WHERE message_id::text = $1',
      [messageId],
    )) as { n: number }[];
    return rows[0].n;
  }

  /** Publishes a group with an ordinary incident beside it; checks each case and the incident. */
  async function runGroup(group: string, cases: KafkaCase[], reader: string) {
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const hostile of cases) {
      byTopic.set(hostile.topic, [...(byTopic.get(hostile.topic) ?? []), hostile.record]);
    }
    const ordinary = exchange.submit(exchange.notification());
    for (const [topic, records] of byTopic) await publishAsTest(topic, records);

    const expectedRefusals = cases.filter((c) => 'refused' in c.outcome);
    await eventually(
      async () =>
        expectedRefusals.every((c) => refusalCodeOf(c.record.value as string)) ? true : undefined,
      { what: `the ${group} records set aside`, timeoutMs: 20_000 },
    ).catch(() => undefined);

    for (const hostile of cases) {
      const problems: string[] = [];
      const code = refusalCodeOf(hostile.record.value as string);
      if ('refused' in hostile.outcome) {
        const allowed = ([] as string[]).concat(hostile.outcome.refused);
        if (!code || !allowed.includes(code)) {
          problems.push(`expected ${allowed.join(' or ')}, got ${code ?? 'no refusal'}`);
        }
        if ((await inboxHas(reader, hostile.messageId)) > 0) problems.push('it was delivered');
      } else {
        if (code) problems.push(`a copy was refused (${code}) instead of ignored`);
        if ((await inboxHas(reader, hostile.messageId)) > 1) problems.push('it was stored twice');
      }
      tally.record(`${hostile.topic} ${group}: ${hostile.name}`, problems);
      if (problems.length > 0)
        console.log(`FAILED ${hostile.topic} ${group}: ${hostile.name}: ${problems.join('; ')}`);
    }

    // Ordinary traffic sent during the group still arrives within seconds.
    const { incidentId } = await ordinary;
    const delivered = await exchange
      .untilStatus(
        incidentId,
        (current) =>
          current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'delivered'),
        'the ordinary incident',
      )
      .then(
        () => true,
        () => false,
      );
    tally.record(
      `${group}: an ordinary incident sent alongside is delivered`,
      delivered ? [] : ['not delivered'],
    );
  }

  it('refuses every hostile record on every envelope topic with its code, delivering nothing', async () => {
    for (const [group, variants, make] of envelopeClasses) {
      for (const target of TARGETS) {
        const cases: KafkaCase[] = [];
        for (let i = 0; i < variants; i++)
          cases.push({ topic: target.topic, ...(await make(target, i)) });
        await runGroup(`${group} (${target.reader})`, cases, target.reader);
      }
    }
    tally.assertAllPassed();
  });

  it('refuses copies of a real message without changing its status, and stores a replayed view once', async () => {
    const cases: KafkaCase[] = [];
    for (const [topic, name, make, outcome] of realCopies) {
      cases.push({ topic, name, record: await make(), messageId: real.messageId, outcome });
    }
    await runGroup('copies of a real message', cases, 'social-care');
    const status = statusShape(await exchange.statusOf(real.incidentId));
    tally.record(
      'the real message’s status after its copies',
      status === realStatus ? [] : [`${realStatus} became ${status}`],
    );
    tally.assertAllPassed();
  });

  it('sets aside every forged audit event with its code, and the chain still verifies', async () => {
    for (const [group, variants, make] of auditClasses) {
      const cases: KafkaCase[] = [];
      for (let i = 0; i < variants; i++) {
        const [name, value, outcome] = await make(i);
        cases.push({
          topic: Topics.auditEvents,
          name,
          record: { key: `hostile-${randomUUID()}`, value: value as string },
          outcome,
        });
      }
      await runGroup(`audit ${group}`, cases, 'audit');
    }
    const verified = await audit.app.get(ChainVerifier).verify({ fromSeq: firstAuditSeq });
    tally.record(
      'the audit chain verifies after the run',
      verified.ok ? [] : [JSON.stringify(verified)],
    );
    tally.assertAllPassed();
  });
});
