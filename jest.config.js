/**
 * Five tiers (see docs/testing.md): unit specs beside the code (and scripts/); integration tests,
 * the hostile-input suite and end-to-end tests under test/ on the real Kafka broker and PostgreSQL; the browser tests
 * (test/browser) drive the console in Chromium on that stack, signing in through Keycloak too. Type-checking is done once by
 * `tsc --noEmit` in `npm test`, so ts-jest only transpiles.
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  testSequencer: '<rootDir>/test/tier-sequencer.js',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      setupFiles: ['reflect-metadata', '<rootDir>/test/support/test-env.js'],
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-tier-timeout.js'],
    },
    {
      ...shared,
      displayName: 'hostile',
      testMatch: ['<rootDir>/test/hostile/**/*.hostile-spec.ts'],
      setupFiles: ['reflect-metadata', '<rootDir>/test/support/test-env.js'],
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-tier-timeout.js'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFiles: ['reflect-metadata', '<rootDir>/test/support/test-env.js'],
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-tier-timeout.js'],
    },
    {
      ...shared,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      setupFiles: ['reflect-metadata', '<rootDir>/test/support/test-env.js'],
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-tier-timeout.js'],
    },
  ],
};
