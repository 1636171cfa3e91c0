import { verifyWords } from './verify-words';

describe('a verification in plain words', () => {
  it('says the trail is intact, with the rows checked and the head', () => {
    expect(
      verifyWords({ ok: true, fromSeq: 1, toSeq: 500, rows: 500, headSeq: 512, headHash: 'ab' }),
    ).toEqual({
      ok: true,
      heading: 'The trail is intact',
      paragraphs: [
        'Every one of rows 1 to 500 (500 rows) was recomputed: each matches its own hash, points at the row before it, and agrees with the signed checkpoints.',
        'The newest row of the trail is row 512.',
      ],
    });
  });

  it('names the first bad row and why, for each fault the verifier finds', () => {
    const words = verifyWords({
      ok: false,
      fromSeq: 1,
      toSeq: 500,
      firstBadSeq: 212,
      reason: 'hash mismatch',
      detail: "row 212's content does not match its hash",
    });
    expect(words.ok).toBe(false);
    expect(words.heading).toBe('The trail has been altered at row 212');
    expect(words.paragraphs.slice(0, 2)).toEqual([
      'Row 212 does not match its own hash: the row was changed after it was written.',
      "Checked rows 1 to 500: rows 1 to 211 are intact. The verifier said: “row 212's content does not match its hash”.",
    ]);
    for (const [reason, meaning] of [
      ['sequence gap', 'is missing: a row was deleted from the trail'],
      ['prev_hash mismatch', 'does not point at the row before it'],
      ['checkpoint mismatch', 'differs from the signed checkpoint taken of it'],
      ['head mismatch', 'disagrees with the head of the trail'],
    ]) {
      const said = verifyWords({
        ok: false,
        fromSeq: 7,
        toSeq: 7,
        firstBadSeq: 7,
        reason,
        detail: '',
      });
      expect(said.paragraphs[0]).toContain(`Row 7 ${meaning}`);
      expect(said.paragraphs[1]).toMatch(/^Checked row 7\./);
    }
  });
});
