import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

import { Principal, Role } from './roles';

export const PUBLIC_ROUTE = 'sgx:public-route';
export const REQUIRED_ROLES = 'sgx:required-roles';

/** An endpoint anyone may call without a token: health, metrics, OpenAPI, public key sets. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Requires a valid bearer token carrying one of the roles. Every endpoint that is not @Public
 * needs a valid token anyway; this narrows who. Documented in OpenAPI.
 */
export function Authorize(...roles: Role[]) {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid bearer token' }),
    ApiForbiddenResponse({
      description: `The token lacks a required role (${roles.join(', ') || 'any'}) or mailbox`,
    }),
  );
}

/** The authenticated caller of this request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
