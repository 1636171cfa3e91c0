import { Get, Inject, Logger, Post, Query, Render, Req, Res } from '@nestjs/common';
import { SERVICE_ENV } from '@app/platform';
import { Request, Response } from 'express';

import { ConsoleEnv } from '../config/console.env';
import { ConsolePages, CurrentSession, SignedOutPage } from '../pages/console-page.decorators';
import { ActiveSession, ConsoleSessions } from '../session/console-sessions.service';
import {
  clearCookie,
  readCookie,
  SESSION_COOKIE,
  setSessionCookie,
  setSignInCookie,
  SIGN_IN_COOKIE,
} from '../session/session-cookies';
import { OidcProvider } from './oidc-provider.service';
import { personFromClaims } from './person-from-claims';
import { safeReturnPath } from './safe-return-path';

/** Signing in with the OIDC provider (code flow with PKCE) and signing out. */
@ConsolePages()
export class SignInController {
  private readonly logger = new Logger(SignInController.name);

  constructor(
    private readonly provider: OidcProvider,
    private readonly sessions: ConsoleSessions,
    @Inject(SERVICE_ENV) private readonly env: ConsoleEnv,
  ) {}

  @Get('sign-in')
  @SignedOutPage()
  @Render('sign-in')
  page(@Query('ended') ended?: string, @Query('return') returnTo?: string) {
    const notices: Record<string, string> = {
      idle: 'Your session ended because it was not used for a while. Sign in again to carry on.',
      out: 'You have signed out.',
      failed: 'Signing in did not complete. Try again.',
    };
    const start = `/sign-in/start?return=${encodeURIComponent(safeReturnPath(returnTo))}`;
    return { pageTitle: 'Sign in', notice: ended ? notices[ended] : undefined, startUrl: start };
  }

  @Get('sign-in/start')
  @SignedOutPage()
  async start(@Query('return') returnTo: string | undefined, @Res() response: Response) {
    const { pending, url } = await this.provider.begin(safeReturnPath(returnTo));
    const secret = await this.sessions.beginSignIn(pending);
    setSignInCookie(response, this.env.CONSOLE_PUBLIC_URL, secret);
    response.redirect(303, url.toString());
  }

  @Get('sign-in/callback')
  @SignedOutPage()
  async callback(@Req() request: Request, @Res() response: Response) {
    const secret = readCookie(request, SIGN_IN_COOKIE);
    clearCookie(response, SIGN_IN_COOKIE);
    const pending = secret ? await this.sessions.takeSignIn(secret) : null;
    if (!pending) return response.redirect(303, '/sign-in?ended=failed');
    const callbackUrl = new URL(request.originalUrl, this.env.CONSOLE_PUBLIC_URL);
    let signedIn;
    try {
      signedIn = await this.provider.complete(callbackUrl, pending);
    } catch (error) {
      // The reason (a failed check, the provider's error code) stays in the log.
      this.logger.warn(`sign-in refused: ${(error as Error).name}: ${(error as Error).message}`);
      return response.redirect(303, '/sign-in?ended=failed');
    }
    const session = await this.sessions.open(
      personFromClaims(signedIn.claims, this.env),
      { accessToken: signedIn.accessToken, idToken: signedIn.idToken },
      signedIn.expiresAt,
    );
    setSessionCookie(response, this.env.CONSOLE_PUBLIC_URL, session);
    response.render('signed-in', { pageTitle: 'Signed in', next: pending.returnTo });
  }

  @Post('sign-out')
  async signOut(@CurrentSession() session: ActiveSession, @Res() response: Response) {
    await this.sessions.end(session.secret);
    clearCookie(response, SESSION_COOKIE);
    const signedOut = new URL('/sign-in?ended=out', this.env.CONSOLE_PUBLIC_URL).toString();
    const providerLogout = await this.provider.endSessionUrl(session.tokens.idToken, signedOut);
    response.redirect(303, providerLogout ?? signedOut);
  }

  @Get('hidden')
  @SignedOutPage()
  @Render('hidden')
  hidden() {
    return { pageTitle: 'Screen hidden' };
  }
}
