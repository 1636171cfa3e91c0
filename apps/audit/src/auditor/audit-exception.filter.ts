import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { Response } from 'express';

import { ChainBrokenError, InvalidRangeError } from '../chain/audit-errors';

/** The audit service's domain errors as HTTP answers: a bad range is 400, a broken chain 409. */
@Catch(InvalidRangeError, ChainBrokenError)
export class AuditExceptionFilter implements ExceptionFilter {
  catch(error: InvalidRangeError | ChainBrokenError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof InvalidRangeError) {
      response.status(HttpStatus.BAD_REQUEST).json({
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'Bad Request',
        message: [`${error.field}: ${error.message}`],
      });
      return;
    }
    response.status(HttpStatus.CONFLICT).json({
      statusCode: HttpStatus.CONFLICT,
      error: 'CHAIN_BROKEN',
      message: error.message,
      verification: error.result,
    });
  }
}
