import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who reads the trail, when nobody has authenticated the request. */
export const UNAUTHENTICATED_ACTOR = 'unauthenticated';

/**
 * The principal on whose behalf an auditor endpoint runs, recorded in the trail-read event.
 * HTTP authentication is added separately (libs/platform); it puts the verified principal on
 * `request.user`, whose `sub` this returns. Until then every reader is recorded as
 * "unauthenticated": the request never gets to name its own actor.
 */
export const AuditActor = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<{ user?: { sub?: unknown } }>();
  const sub = request.user?.sub;
  return typeof sub === 'string' && sub.length > 0 ? sub.slice(0, 100) : UNAUTHENTICATED_ACTOR;
});
