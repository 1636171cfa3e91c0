const Sequencer = require('@jest/test-sequencer').default;

const TIER = { unit: 0, integration: 1, hostile: 2, e2e: 3, browser: 4 };

/**
 * Unit, then integration, then the hostile-input suite, then end-to-end (which stop and start the
 * broker), then the browser tests of the console, each alphabetical.
 */
class TierSequencer extends Sequencer {
  sort(tests) {
    const tier = (test) => TIER[test.context.config.displayName?.name ?? 'unit'] ?? 0;
    return [...tests].sort((a, b) => tier(a) - tier(b) || a.path.localeCompare(b.path));
  }
}

module.exports = TierSequencer;
