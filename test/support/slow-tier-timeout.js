// Integration and end-to-end tests join consumer groups on a real broker and close services
// cleanly: seconds, not milliseconds, for tests and for their hooks.
jest.setTimeout(Number(process.env.SGX_TEST_TIMEOUT_MS || 120_000));
