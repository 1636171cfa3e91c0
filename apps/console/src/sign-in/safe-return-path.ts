/**
 * Where to go after signing in: a path on this console only (never `//host` or a URL), so the
 * sign-in page cannot be used to send people elsewhere.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/';
  if (!/^\/(?![/\\])[A-Za-z0-9\-._~/?=&%]*$/.test(value)) return '/';
  return value.startsWith('/sign-in') ? '/' : value;
}
