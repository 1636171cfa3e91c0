import { pgRow } from './pg-row.test-support';
import { ROW_HASH_INDEX, ROW_INDEX } from './canonical-row';
import { ChainRecord, GENESIS_HASH, recordHash } from './chain-record';
import { ChainWalk } from './chain-walk';

/** Rows 1..n of a well-formed chain, as verification reads them. */
function chain(n: number): ChainRecord[] {
  const records: ChainRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const unhashed = {
      seq,
      prevHash,
      eventId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      action: 'delivered',
      actor: 'hub',
      occurredAt: '2026-11-26T08:30:00.000Z',
      appendedAt: `2026-11-26T08:30:01.${String(seq).padStart(3, '0')}Z`,
      recipientMailbox: `mailbox-${seq}`,
    };
    prevHash = recordHash(unhashed);
    records.push({ ...unhashed, hash: prevHash });
  }
  return records;
}

function walk(rows: (string | null)[][], checkpoints = new Map<number, string>(), toSeq = 5) {
  const w = new ChainWalk(1, GENESIS_HASH, checkpoints);
  let fed = 0;
  for (const row of rows) {
    fed += 1;
    if (!w.next(row)) break;
  }
  return { fault: w.finish(toSeq), lastHash: w.lastHash, fed };
}

describe('ChainWalk: the per-row checks of verification', () => {
  const records = chain(5);
  const rows = () => records.map(pgRow);

  it('passes a well-formed chain and ends on the last row hash', () => {
    expect(walk(rows())).toEqual({ fault: undefined, lastHash: records[4].hash, fed: 5 });
  });

  it('names a missing row as a sequence gap, in the middle or at the end', () => {
    const middle = rows();
    middle.splice(2, 1);
    expect(walk(middle).fault).toMatchObject({ firstBadSeq: 3, reason: 'sequence gap' });
    expect(walk(rows().slice(0, 3)).fault).toMatchObject({
      firstBadSeq: 4,
      reason: 'sequence gap',
    });
  });

  it('names a row that does not point at the previous hash', () => {
    const linked = rows();
    linked[3][ROW_INDEX.prevHash] = 'f'.repeat(64);
    expect(walk(linked).fault).toMatchObject({ firstBadSeq: 4, reason: 'prev_hash mismatch' });
  });

  it('names an altered row as a hash mismatch and stops there', () => {
    const altered = rows();
    altered[1][ROW_INDEX.actor] = 'mallory';
    altered[3][ROW_INDEX.prevHash] = 'f'.repeat(64);
    expect(walk(altered)).toMatchObject({
      fault: { firstBadSeq: 2, reason: 'hash mismatch' },
      lastHash: records[0].hash,
      fed: 2,
    });
  });

  it('checks an added or removed optional member, and a time changed by a millisecond', () => {
    const added = rows();
    added[0][ROW_INDEX.detail] = 'added';
    expect(walk(added).fault).toMatchObject({ firstBadSeq: 1, reason: 'hash mismatch' });
    const removed = rows();
    removed[0][ROW_INDEX.recipientMailbox] = null;
    expect(walk(removed).fault).toMatchObject({ firstBadSeq: 1, reason: 'hash mismatch' });
    const moved = rows();
    moved[0][ROW_INDEX.appendedAt] = '2026-11-26 08:30:01.002';
    expect(walk(moved).fault).toMatchObject({ firstBadSeq: 1, reason: 'hash mismatch' });
  });

  it('names a row whose hash differs from a signed checkpoint', () => {
    const signed = new Map([[3, 'a'.repeat(64)]]);
    expect(walk(rows(), signed).fault).toMatchObject({
      firstBadSeq: 3,
      reason: 'checkpoint mismatch',
    });
    expect(walk(rows(), new Map([[3, records[2].hash]])).fault).toBeUndefined();
  });

  it('reads the stored hash from the last column', () => {
    expect(rows()[0][ROW_HASH_INDEX]).toBe(records[0].hash);
  });
});
