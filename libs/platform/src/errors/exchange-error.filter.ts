import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { ExchangeError, ExchangeErrorCode } from '@app/contracts';
import { Response } from 'express';

/** Codes that mean content this service stored cannot be opened with the keys it holds now. */
const UNREADABLE_AT_REST: readonly ExchangeErrorCode[] = [
  ExchangeErrorCode.NOT_ADDRESSED_TO_NODE,
  ExchangeErrorCode.DECRYPTION_FAILED,
  ExchangeErrorCode.MALFORMED,
];

/** Refusals of a request that are not a 400: what it names is absent, or in a state that forbids it. */
const REQUEST_STATUS: Partial<Record<ExchangeErrorCode, HttpStatus>> = {
  [ExchangeErrorCode.TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ExchangeErrorCode.ORIGINAL_UNKNOWN]: HttpStatus.NOT_FOUND,
  [ExchangeErrorCode.ORIGINAL_WITHDRAWN]: HttpStatus.CONFLICT,
};

/**
 * The one mapping of the exchange's coded errors to HTTP, for an ExchangeError that reaches a
 * controller (a stored message encrypted to a key the node no longer holds, a body too large):
 * a 4xx with the code, never a 500. A stored message that cannot be opened is 409 (it exists but
 * is unreadable with the node's current keys); a correction of a message the node never sent is
 * 404, of one already withdrawn 409; the rest are refusals of the request. Outside HTTP
 * (a Kafka handler) the error goes on as thrown: the record processor classifies it.
 */
@Catch(ExchangeError)
export class ExchangeErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ExchangeErrorFilter.name);

  catch(error: ExchangeError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const unreadable = UNREADABLE_AT_REST.includes(error.code);
    const status = unreadable
      ? HttpStatus.CONFLICT
      : (REQUEST_STATUS[error.code] ?? HttpStatus.BAD_REQUEST);
    this.logger.warn(`answered ${status} ${error.code}: ${error.message}`);
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({
        statusCode: status,
        error: error.code,
        message: unreadable
          ? 'this message is stored encrypted to a key this node no longer holds'
          : error.message,
      });
  }
}
