import {
  applyDecorators,
  Controller,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public, Role } from '@app/platform';

import { ActiveSession } from '../session/console-sessions.service';
import { ConsolePageFilter } from './console-page.filter';

export const CONSOLE_PAGE = 'sgx:console-page';
export const SIGNED_OUT_PAGE = 'sgx:console-signed-out-page';
export const PAGE_ROLES = 'sgx:console-page-roles';
export const BACKGROUND_REFRESH = 'sgx:console-background-refresh';

/**
 * A controller of browser pages. They authenticate by the session cookie (SessionGuard), not by
 * a bearer token, so the platform's bearer guard lets them through (`Public`) and the session
 * guard takes over. Every failure is rendered as a page (ConsolePageFilter).
 */
export function ConsolePages(path = ''): ClassDecorator {
  return applyDecorators(
    Controller(path),
    Public(),
    SetMetadata(CONSOLE_PAGE, true),
    UseFilters(ConsolePageFilter),
    ApiExcludeController(),
  );
}

/** A page anyone may open without a session: sign-in, signed out, errors. */
export const SignedOutPage = () => SetMetadata(SIGNED_OUT_PAGE, true);

/** A page only for people with one of the roles; others get the 403 page. */
export const NeedsRole = (...roles: Role[]) => SetMetadata(PAGE_ROLES, roles);

/**
 * A part of a page the browser fetches by itself to keep it current (the control room's board).
 * Such a request is not the person's activity, so it never keeps an idle session alive; when the
 * session has ended, signing in again returns to the page (`pagePath`), not to the fragment.
 */
export const BackgroundRefresh = (pagePath: string) => SetMetadata(BACKGROUND_REFRESH, pagePath);

/** The signed-in session of this request (set by SessionGuard). */
export const CurrentSession = createParamDecorator(
  (_: unknown, context: ExecutionContext): ActiveSession =>
    context.switchToHttp().getRequest<{ consoleSession: ActiveSession }>().consoleSession,
);
