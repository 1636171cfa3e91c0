import { ExchangeErrorCode, isExchangeError } from '@app/contracts';

import { InvalidRecordError } from './validate-record';

/**
 * A dependency a handler needs is unreachable (a key set over HTTP, say): the record is not at
 * fault and is retried, without counting, until the dependency is back.
 */
export class TransientDependencyError extends Error {}

/** Why one record's handling failed, as RecordProcessor acts on it. */
export type RecordFailure =
  /** The same record fails the same way every time: refused at once with its code. */
  | { kind: 'permanent'; code: ExchangeErrorCode; reason: string }
  /** A dependency is away: retried, without counting, until it is back. */
  | { kind: 'transient'; reason: string }
  /** Neither is certain (a race lost, a bug): tried again a few times at once, then refused. */
  | { kind: 'unknown'; reason: string };

/** SQLSTATE classes that say the database, not the record, is in trouble. */
const TRANSIENT_SQLSTATE_CLASSES = ['08', '40', '53', '57', '58'];
const TRANSIENT_SQLSTATES = ['55P03', '55006'];
/** Not-null and check violations, and every data exception (class 22: bad text, date, number). */
const PERMANENT_SQLSTATES = ['23502', '23514'];
const NETWORK_ERROR_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'];
/**
 * node-postgres's own words for a connection lost or not to be had (they carry no SQLSTATE and
 * no value): the database is away, not the record at fault, so the record waits for it instead
 * of being refused after three quick tries.
 */
const LOST_CONNECTION_MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^Client (has encountered a connection error|was closed) and is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
];

function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function lostConnection(error: unknown): boolean {
  const candidate = error as { message?: unknown; driverError?: { message?: unknown } };
  const messages = [candidate?.message, candidate?.driverError?.message];
  return messages.some(
    (message) =>
      typeof message === 'string' && LOST_CONNECTION_MESSAGES.some((words) => words.test(message)),
  );
}

function networkCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown; driverError?: { code?: unknown } })?.code;
  return typeof code === 'string' && NETWORK_ERROR_CODES.includes(code) ? code : undefined;
}

/**
 * Sorts a handler's failure by what retrying it can achieve. Reasons name the rule or the
 * SQLSTATE, never the database's message: that may quote the offending value.
 */
export function classifyRecordFailure(error: unknown): RecordFailure {
  if (error instanceof InvalidRecordError) {
    return { kind: 'permanent', code: error.code, reason: error.message };
  }
  if (isExchangeError(error)) {
    return { kind: 'permanent', code: error.code, reason: error.message };
  }
  if (error instanceof TransientDependencyError) {
    return { kind: 'transient', reason: error.message };
  }
  const state = sqlState(error);
  if (state) {
    if (state.startsWith('22') || PERMANENT_SQLSTATES.includes(state)) {
      const code =
        state === '22P05' || state === '22021'
          ? ExchangeErrorCode.UNSTORABLE_TEXT
          : ExchangeErrorCode.UNPROCESSABLE;
      return {
        kind: 'permanent',
        code,
        reason: `the database refused a value (SQLSTATE ${state})`,
      };
    }
    if (
      TRANSIENT_SQLSTATE_CLASSES.includes(state.slice(0, 2)) ||
      TRANSIENT_SQLSTATES.includes(state)
    ) {
      return { kind: 'transient', reason: `database unavailable (SQLSTATE ${state})` };
    }
    return { kind: 'unknown', reason: `database error (SQLSTATE ${state})` };
  }
  const network = networkCode(error);
  if (network) return { kind: 'transient', reason: `network error (${network})` };
  if (lostConnection(error)) return { kind: 'transient', reason: 'database connection lost' };
  // A handler's own check of a value it was given: `new Date('2026-W01-1').toISOString()`,
  // `JSON.parse` of a bad string. Only the error's class names the cause in the reason.
  if (error instanceof RangeError || error instanceof SyntaxError) {
    const message = /^[A-Za-z ,]{1,80}$/.test(error.message) ? `: ${error.message}` : '';
    return {
      kind: 'permanent',
      code: ExchangeErrorCode.UNPROCESSABLE,
      reason: `the record cannot be handled (${error.name}${message})`,
    };
  }
  const name = error instanceof Error ? error.name : typeof error;
  return { kind: 'unknown', reason: `handler failed (${name})` };
}
