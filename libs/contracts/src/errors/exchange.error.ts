import { ExchangeErrorCode } from './exchange-error-code';

/**
 * A refusal with its code. Messages name the rule that failed, never a value from the input,
 * because the input may carry personal data and refusals are logged and audited.
 */
export class ExchangeError extends Error {
  constructor(
    readonly code: ExchangeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExchangeError';
  }
}

/** True when the value is an ExchangeError, optionally with the given code. */
export function isExchangeError(value: unknown, code?: ExchangeErrorCode): value is ExchangeError {
  return value instanceof ExchangeError && (code === undefined || value.code === code);
}
