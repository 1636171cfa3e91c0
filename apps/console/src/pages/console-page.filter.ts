import { randomBytes } from 'node:crypto';

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DependencyUnavailableError } from '@app/platform';
import { Response } from 'express';

import { ApiConflictError, NodeFailedError } from '../node-api/node-api.client';
import { PageForbiddenError, PageNotFoundError, SignInRequiredError } from './page-errors';

interface ErrorPage {
  status: number;
  pageTitle: string;
  heading: string;
  paragraphs: string[];
  /** Quoted to the service desk; the same reference is in the console's log with the cause. */
  reference?: string;
}

/** A short reference for one failure, e.g. "3F2A-91BC": random, so it says nothing itself. */
export function errorReference(): string {
  const hex = randomBytes(4).toString('hex').toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}

const FORBIDDEN: ErrorPage = {
  status: 403,
  pageTitle: 'You cannot see this page',
  heading: 'You cannot see this page',
  paragraphs: [
    'Your account does not give you access to it. Ask your administrator if you need it.',
  ],
};

const NOT_FOUND: ErrorPage = {
  status: 404,
  pageTitle: 'Page not found',
  heading: 'Page not found',
  paragraphs: ['If you typed the address, check it is correct.'],
};

/**
 * Every failure on a console page becomes a page, never JSON or a stack trace: sign in (again),
 * 403 (nothing said about what is there), 404 (the same for missing and not yours), 503, 500.
 * Logged: the kind of failure only, never a path or a value (they may name people).
 */
@Catch()
export class ConsolePageFilter implements ExceptionFilter {
  private readonly logger = new Logger(ConsolePageFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof SignInRequiredError) {
      const query = new URLSearchParams({ return: error.returnTo });
      if (error.expired) query.set('ended', 'idle');
      response.redirect(303, `/sign-in?${query.toString()}`);
      return;
    }
    const page = this.page(error);
    response.status(page.status).render('error', page);
  }

  private page(error: unknown): ErrorPage {
    if (error instanceof PageForbiddenError) return FORBIDDEN;
    if (error instanceof PageNotFoundError) return NOT_FOUND;
    if (error instanceof HttpException && error.getStatus() < 500) {
      // A malformed id in an address is a page that does not exist.
      return error.getStatus() === 403 ? FORBIDDEN : NOT_FOUND;
    }
    const reference = errorReference();
    if (error instanceof DependencyUnavailableError) {
      this.logger.warn(`reference ${reference}: ${error.code}: ${error.message}`);
      return {
        status: 503,
        pageTitle: 'Sorry, there is a problem',
        heading: 'Sorry, there is a problem with the service',
        paragraphs: [error.publicMessage],
        reference,
      };
    }
    if (error instanceof NodeFailedError || error instanceof ApiConflictError) {
      // The node could not show it: it failed (5xx), or what it holds cannot be opened with its
      // keys (409 on a read). Only the kind, host and status are logged, never a path or value.
      this.logger.error(`reference ${reference}: ${error.message}`);
    } else {
      this.logger.error(
        `reference ${reference}: page failed: ${(error as Error)?.name ?? 'error'}`,
        (error as Error)?.stack,
      );
    }
    // Nothing about the cause is disclosed: the same page for every failure, with its reference.
    return {
      status: 500,
      pageTitle: 'Sorry, there is a problem',
      heading: 'Sorry, there is a problem with the service',
      paragraphs: [
        'This could not be shown. Try again later. Nothing you had not already saved was changed.',
        'If it keeps happening, contact your service desk and give them the reference below.',
      ],
      reference,
    };
  }
}
