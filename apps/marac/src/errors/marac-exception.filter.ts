import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { Response } from 'express';

import { MaracError, MaracErrorCode } from './marac.error';

const STATUS: Record<MaracErrorCode, HttpStatus> = {
  [MaracErrorCode.CRITERION_NOT_MET]: HttpStatus.BAD_REQUEST,
  [MaracErrorCode.INVALID_REFERRAL]: HttpStatus.BAD_REQUEST,
  [MaracErrorCode.CASE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MaracErrorCode.ACTION_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MaracErrorCode.NOT_A_CASE_MEMBER]: HttpStatus.FORBIDDEN,
  [MaracErrorCode.NOT_ACTION_OWNER]: HttpStatus.FORBIDDEN,
  [MaracErrorCode.ALREADY_ANSWERED]: HttpStatus.CONFLICT,
  [MaracErrorCode.ACTION_CLOSED]: HttpStatus.CONFLICT,
  [MaracErrorCode.ALREADY_LISTED]: HttpStatus.CONFLICT,
};

/**
 * MARAC domain errors as HTTP answers, shaped like the ValidationPipe's 400s
 * (`message: ['field: rule']`) so that a client reads every refusal the same way.
 */
@Catch(MaracError)
export class MaracExceptionFilter implements ExceptionFilter {
  catch(error: MaracError, host: ArgumentsHost): void {
    const status = STATUS[error.code];
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({
        statusCode: status,
        error: error.code,
        message: [error.field ? `${error.field}: ${error.message}` : error.message],
      });
  }
}
