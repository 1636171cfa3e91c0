import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from '@app/platform';

/**
 * Who reads the trail, recorded in the trail-read event: the verified token's subject (the auth
 * guard has run before any auditor endpoint). The request can never name its own actor.
 */
export const AuditActor = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const { principal } = context.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!principal) throw new Error('auditor endpoint reached without an authenticated principal');
  return principal.subject.slice(0, 100);
});
