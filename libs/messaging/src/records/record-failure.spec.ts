import { ExchangeError, ExchangeErrorCode } from '@app/contracts';

import { classifyRecordFailure, TransientDependencyError } from './record-failure';
import { InvalidRecordError } from './validate-record';

/** A driver error as TypeORM's QueryFailedError carries it. */
const queryFailed = (code: string, message: string) =>
  Object.assign(new Error(message), { driverError: { code } });

describe('classifyRecordFailure (issue 12 finding 1)', () => {
  it('finding 1: a value PostgreSQL cannot store is permanent at once, without its value in the reason', () => {
    const failure = classifyRecordFailure(
      queryFailed('22P05', 'unsupported Unicode escape sequence'),
    );
    expect(failure).toEqual({
      kind: 'permanent',
      code: ExchangeErrorCode.UNSTORABLE_TEXT,
      reason: 'the database refused a value (SQLSTATE 22P05)',
    });
    const date = classifyRecordFailure(
      queryFailed('22007', 'invalid input syntax for type timestamp: "2026-W01-1"'),
    );
    expect(date).toMatchObject({ kind: 'permanent', code: ExchangeErrorCode.UNPROCESSABLE });
    expect(JSON.stringify(date)).not.toContain('2026-W01-1');
  });

  it('finding 1: a handler’s own validation error such as `Invalid time value` is permanent', () => {
    let thrown: unknown;
    try {
      new Date('2026-W01-1').toISOString();
    } catch (error) {
      thrown = error;
    }
    expect(classifyRecordFailure(thrown)).toEqual({
      kind: 'permanent',
      code: ExchangeErrorCode.UNPROCESSABLE,
      reason: 'the record cannot be handled (RangeError: Invalid time value)',
    });
  });

  it('keeps the code of an invalid record and of an exchange refusal', () => {
    expect(
      classifyRecordFailure(new InvalidRecordError(['x'], ExchangeErrorCode.MALFORMED)),
    ).toMatchObject({ kind: 'permanent', code: ExchangeErrorCode.MALFORMED });
    expect(
      classifyRecordFailure(new ExchangeError(ExchangeErrorCode.EXPIRED, 'expired')),
    ).toMatchObject({ kind: 'permanent', code: ExchangeErrorCode.EXPIRED });
  });

  it('retries, uncounted, only what says a dependency is away', () => {
    expect(classifyRecordFailure(queryFailed('57P01', 'terminating')).kind).toBe('transient');
    expect(classifyRecordFailure(queryFailed('40P01', 'deadlock')).kind).toBe('transient');
    expect(
      classifyRecordFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).kind,
    ).toBe('transient');
    expect(classifyRecordFailure(new TransientDependencyError('keys')).kind).toBe('transient');
  });

  it('leaves a failure of no certain cause (a unique race, a plain Error) unknown', () => {
    expect(classifyRecordFailure(queryFailed('23505', 'duplicate key')).kind).toBe('unknown');
    expect(classifyRecordFailure(new Error('boom'))).toEqual({
      kind: 'unknown',
      reason: 'handler failed (Error)',
    });
  });

  it('a database connection lost under a handler (the fault run cuts it) waits for the database, never refused as the record’s fault', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'Client has encountered a connection error and is not queryable',
      'timeout exceeded when trying to connect',
    ]) {
      expect(classifyRecordFailure(new Error(message))).toEqual({
        kind: 'transient',
        reason: 'database connection lost',
      });
      // As TypeORM wraps it in a QueryFailedError.
      const wrapped = Object.assign(new Error(`query failed: ${message}`), {
        driverError: new Error(message),
      });
      expect(classifyRecordFailure(wrapped).kind).toBe('transient');
    }
    expect(classifyRecordFailure(new Error('Connection terminated by a bug of ours')).kind).toBe(
      'unknown',
    );
  });
});
