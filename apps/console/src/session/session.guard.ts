import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@app/platform';
import { Request, Response } from 'express';

import {
  BACKGROUND_REFRESH,
  CONSOLE_PAGE,
  PAGE_ROLES,
  SIGNED_OUT_PAGE,
} from '../pages/console-page.decorators';
import { PageForbiddenError, SignInRequiredError } from '../pages/page-errors';
import { ActiveSession, ConsoleSessions } from './console-sessions.service';
import { readCookie, SESSION_COOKIE } from './session-cookies';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Every console page needs a live session unless it is a @SignedOutPage. Checks, in order: the
 * session (none or ended: to sign-in, saying which), the CSRF token of every form post (the
 * session's own token, compared in full), and the page's roles (403 page, nothing disclosed).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: ConsoleSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (!this.reflector.getAllAndOverride<boolean>(CONSOLE_PAGE, targets)) return true;
    const request = context
      .switchToHttp()
      .getRequest<Request & { consoleSession?: ActiveSession }>();
    const secret = readCookie(request, SESSION_COOKIE);
    const background = this.reflector.getAllAndOverride<string | undefined>(
      BACKGROUND_REFRESH,
      targets,
    );
    const lookup = secret
      ? await this.sessions.touch(secret, { activity: background === undefined })
      : ({ state: 'none' } as const);
    if (lookup.state === 'active') {
      request.consoleSession = lookup.session;
      // Every page's header shows who is signed in and carries the sign-out form's token.
      const locals = context.switchToHttp().getResponse<Response>().locals;
      locals.person = lookup.session.person;
      locals.csrfToken = lookup.session.csrfToken;
    }
    if (this.reflector.getAllAndOverride<boolean>(SIGNED_OUT_PAGE, targets)) return true;

    if (lookup.state !== 'active') {
      const returnTo = background ?? (request.method === 'GET' ? request.originalUrl : '/');
      throw new SignInRequiredError(lookup.state === 'expired', returnTo);
    }
    if (!SAFE_METHODS.has(request.method)) {
      const sent: unknown = (request.body as Record<string, unknown> | undefined)?._csrf;
      if (sent !== lookup.session.csrfToken) throw new PageForbiddenError('csrf');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(PAGE_ROLES, targets);
    if (roles?.length && !roles.some((role) => lookup.session.person.roles.includes(role))) {
      throw new PageForbiddenError('role');
    }
    return true;
  }
}
