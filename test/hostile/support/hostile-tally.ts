import { appendFileSync } from 'node:fs';

/**
 * The hostile-input suite's tally: every generated case is recorded as passed or failed with what
 * was wrong, appended to the run's tally file (`SGX_HOSTILE_TALLY_FILE`, set by scripts/test.js),
 * which `npm test` prints as its last line: `N passed, N failed`.
 */
export class HostileTally {
  private readonly failures: string[] = [];
  private passed = 0;

  constructor(private readonly suite: string) {}

  /** Records one case; `problems` empty means every assertion of the case held. */
  record(caseName: string, problems: string[]): void {
    const ok = problems.length === 0;
    if (ok) this.passed += 1;
    else this.failures.push(`${caseName}: ${problems.join('; ')}`);
    const file = process.env.SGX_HOSTILE_TALLY_FILE;
    if (file)
      appendFileSync(file, `${JSON.stringify({ suite: this.suite, case: caseName, ok })}\n`);
  }

  get counts(): { passed: number; failed: number } {
    return { passed: this.passed, failed: this.failures.length };
  }

  /** Fails the jest test with the first failures, so a broken case is named, not only counted. */
  assertAllPassed(): void {
    if (this.failures.length === 0) return;
    const shown = this.failures.slice(0, 20).join('\n');
    throw new Error(
      `${this.failures.length} hostile case(s) of ${this.suite} failed:\n${shown}` +
        (this.failures.length > 20 ? `\n… and ${this.failures.length - 20} more` : ''),
    );
  }
}
