/** The trust layer's four public-key operations, the CPU cost of every message. */
export type CryptoOperation = 'sign' | 'verify' | 'encrypt' | 'decrypt';

// Process-wide, as the CPU they spend is: /metrics shows them and the journey bench divides them
// by the notifications it sent to say how many one notification needs.
const counts: Record<CryptoOperation, number> = { sign: 0, verify: 0, encrypt: 0, decrypt: 0 };

export function countCryptoOperation(operation: CryptoOperation): void {
  counts[operation]++;
}

/** How many of each operation this process has done since it started. */
export function cryptoOperationCounts(): Readonly<Record<CryptoOperation, number>> {
  return { ...counts };
}
