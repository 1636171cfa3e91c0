import { VerifyResultJson } from './audit-json';

/** What each fault the verifier names means, said to someone who is not a programmer. */
const FAULTS: Record<string, string> = {
  'sequence gap': 'is missing: a row was deleted from the trail',
  'prev_hash mismatch':
    'does not point at the row before it: a row was inserted, moved or reordered',
  'hash mismatch': 'does not match its own hash: the row was changed after it was written',
  'checkpoint mismatch':
    'differs from the signed checkpoint taken of it: the trail was rewritten after the checkpoint',
  'head mismatch': 'disagrees with the head of the trail: rows were removed from its end',
};

export interface VerifyWords {
  ok: boolean;
  heading: string;
  paragraphs: string[];
}

/** A verification's result in plain words: intact, or the first bad row and why. */
export function verifyWords(result: VerifyResultJson): VerifyWords {
  const range =
    result.fromSeq === result.toSeq
      ? `row ${result.fromSeq}`
      : `rows ${result.fromSeq} to ${result.toSeq}`;
  if (result.ok) {
    return {
      ok: true,
      heading: 'The trail is intact',
      paragraphs: [
        `Every one of ${range} (${result.rows} ${result.rows === 1 ? 'row' : 'rows'}) was recomputed: each matches its own hash, points at the row before it, and agrees with the signed checkpoints.`,
        `The newest row of the trail is row ${result.headSeq}.`,
      ],
    };
  }
  return {
    ok: false,
    heading: `The trail has been altered at row ${result.firstBadSeq}`,
    paragraphs: [
      `Row ${result.firstBadSeq} ${FAULTS[result.reason] ?? `failed the check (${result.reason})`}.`,
      result.firstBadSeq > result.fromSeq
        ? `Checked ${range}: rows ${result.fromSeq} to ${result.firstBadSeq - 1} are intact. The verifier said: “${result.detail}”.`
        : `Checked ${range}. The verifier said: “${result.detail}”.`,
      'Tell your information governance lead and keep this result: the trail cannot be trusted from this row on.',
    ],
  };
}
