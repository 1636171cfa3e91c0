// Tests use their own database so they never touch the development stack's data.
process.env.DATABASE_URL =
  process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/safeguarding_test';
process.env.LOG_LEVEL ??= 'warn';
process.env.NODE_ENV = 'test';
