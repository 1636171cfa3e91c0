/**
 * `npm run bench`: operations per second of the trust layer's cryptography for a 2 KiB body,
 * single-threaded, in this process. Not a test: it asserts nothing and prints a Markdown table
 * for docs/benchmarks.md. BENCH_SECONDS (default 3) sets the time per operation.
 */
import 'reflect-metadata';
import os from 'node:os';

import { ENVELOPE_TYP, MessageTypeRegistry, TEST_NOTICE, TestNotice } from '@app/contracts';
import {
  decryptEnvelope,
  decryptWith,
  encryptEnvelope,
  encryptTo,
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  ResolvedKey,
  signCompact,
  signEnvelope,
  verifyCompact,
  verifyEnvelope,
} from '@app/crypto';

const BODY_BYTES = 2048;
const seconds = Number(process.env.BENCH_SECONDS ?? '3');

async function measure(name: string, operation: () => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await operation(); // warm up the JIT and jose's key caches
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let count = 0;
  while (performance.now() < deadline) {
    await operation();
    count++;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { name, opsPerSecond: count / elapsed, microseconds: (elapsed / count) * 1e6 };
}

async function main(): Promise<void> {
  const signer = await generateSigningKeyPair();
  const recipient = await generateEncryptionKeyPair();
  const body = new TextEncoder().encode('x'.repeat(BODY_BYTES));
  const jws = await signCompact(body, signer.privateKey, signer.kid, ENVELOPE_TYP);
  const jwe = await encryptTo(body, recipient.publicJwk);

  // The envelope path: a TestNotice whose JSON body is 2 KiB, with claims and schema validation.
  const notice: TestNotice = { title: 'Benchmark', text: '', priority: 'low' };
  notice.text = 'x'.repeat(BODY_BYTES - JSON.stringify(notice).length);
  const key: ResolvedKey = {
    kid: signer.kid,
    nodeId: 'police',
    use: 'sig',
    jwk: signer.publicJwk,
    status: 'active',
    notBefore: new Date(0),
    retireAfter: null,
  };
  const messageTypes = new MessageTypeRegistry().register(TEST_NOTICE);
  const draft = {
    iss: 'police',
    sub: 'subj-bench',
    type: TEST_NOTICE.type,
    version: 1,
    body: notice,
  };
  const envelope = await signEnvelope(draft, signer);
  const sealed = await encryptEnvelope(envelope, recipient.publicJwk);
  const keys = {
    nodeId: 'education',
    encryption: new Map([[recipient.kid, recipient.privateKey]]),
  };
  const verifyOptions = { resolveKey: async () => key, messageTypes };

  const results = [
    await measure('EdDSA sign (compact JWS)', () =>
      signCompact(body, signer.privateKey, signer.kid, ENVELOPE_TYP),
    ),
    await measure('EdDSA verify (compact JWS)', () =>
      verifyCompact(jws, async () => signer.publicJwk),
    ),
    await measure('ECDH-ES + A256GCM encrypt (compact JWE)', () =>
      encryptTo(body, recipient.publicJwk),
    ),
    await measure('ECDH-ES + A256GCM decrypt (compact JWE)', () =>
      decryptWith(jwe, recipient.privateKey),
    ),
    await measure('signEnvelope (claims + EdDSA)', () => signEnvelope(draft, signer)),
    await measure('verifyEnvelope (all checks but replay)', () =>
      verifyEnvelope(envelope, verifyOptions),
    ),
    await measure('encryptEnvelope', () => encryptEnvelope(envelope, recipient.publicJwk)),
    await measure('decryptEnvelope', () => decryptEnvelope(sealed, keys)),
  ];

  console.log(
    `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), ${BODY_BYTES}-byte body, ${seconds} s per operation, one thread\n`,
  );
  console.log('| operation | ops/s | µs/op |');
  console.log('| --- | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${Math.round(r.opsPerSecond).toLocaleString('en-GB')} | ${r.microseconds.toFixed(0)} |`,
    );
  }
  console.log(`\nenvelope ${envelope.length} bytes as JWS, ${sealed.length} bytes as JWE`);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).message}`);
  process.exit(1);
});
