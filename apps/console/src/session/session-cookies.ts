import { CookieOptions, Request, Response } from 'express';

export const SESSION_COOKIE = 'sgx_session';
export const SIGN_IN_COOKIE = 'sgx_sign_in';

/** Secure everywhere but a development machine's plain-HTTP loopback. */
function secure(publicUrl: string): boolean {
  return publicUrl.startsWith('https://');
}

/**
 * The session cookie: httpOnly, SameSite=Strict, Secure outside development. It holds only a
 * random secret; the session itself is in PostgreSQL.
 */
export function setSessionCookie(response: Response, publicUrl: string, secret: string): void {
  response.cookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(publicUrl),
    path: '/',
  });
}

/**
 * The sign-in cookie is Lax, not Strict: the provider sends the browser back with a cross-site
 * navigation, on which a Strict cookie is withheld. It opens nothing but the callback.
 */
export function setSignInCookie(response: Response, publicUrl: string, secret: string): void {
  const options: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(publicUrl),
    path: '/sign-in',
    maxAge: 10 * 60_000,
  };
  response.cookie(SIGN_IN_COOKIE, secret, options);
}

export function clearCookie(response: Response, name: string): void {
  response.clearCookie(name, { path: name === SIGN_IN_COOKIE ? '/sign-in' : '/' });
}

export function readCookie(request: Request, name: string): string | undefined {
  const value = (request.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
}
