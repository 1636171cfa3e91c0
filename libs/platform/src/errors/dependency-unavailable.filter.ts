import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';

import { DependencyUnavailableError } from './dependency-unavailable.error';

/**
 * Every service's answer to a DependencyUnavailableError on HTTP: 503 with the error's code and
 * public message (shaped like the other refusals: `statusCode`, `error`, `message`) and a
 * Retry-After, and one warning in the log with the detail. Registered globally by the platform,
 * so it applies to every controller, whatever filters the controller adds for its own errors.
 * Outside HTTP (a Kafka handler) the error goes on as it was thrown: the record processor retries.
 */
@Catch(DependencyUnavailableError)
export class DependencyUnavailableFilter implements ExceptionFilter {
  private readonly logger = new Logger(DependencyUnavailableFilter.name);

  catch(error: DependencyUnavailableError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    this.logger.warn(`answered 503 ${error.code}: ${error.message}`);
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .setHeader('Retry-After', String(error.retryAfterSeconds))
      .json({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: error.code,
        message: error.publicMessage,
      });
  }
}
