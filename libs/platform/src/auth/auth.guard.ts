import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';

import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators';
import { OWN_AGENCY, OwnAgency } from './own-agency';
import { Principal, Role } from './roles';
import { TokenRejectedError, TokenVerifier } from './token-verifier.service';

/**
 * Every HTTP endpoint needs a valid bearer token unless it is @Public. @Authorize narrows the
 * roles. A mailbox-user reaches only the mailboxes in its token: any route parameter named
 * `mailboxId` is checked here, once, for every controller. On a node (OWN_AGENCY provided), an
 * agency-system token reaches an endpoint only for the node's own agency: a housing system's
 * token cannot post police incidents. Refusals say as little as possible.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
    @Optional() @Inject(OWN_AGENCY) private readonly ownAgency?: OwnAgency,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(request.headers.authorization);
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles?.length && !roles.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenException('forbidden');
    }
    if (roles?.includes('agency-system') && principal.roles.includes('agency-system')) {
      await this.assertOwnAgency(principal);
    }
    const mailboxId: unknown = request.params?.mailboxId;
    if (
      mailboxId !== undefined &&
      !(typeof mailboxId === 'string' && this.mayReachMailbox(principal, mailboxId))
    ) {
      throw new ForbiddenException('forbidden');
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    // The scheme name is case-insensitive (RFC 7235 section 2.1); the token68 is not.
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedException('authentication required');
    try {
      return await this.tokens.verify(match[1]);
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.logger.warn(`bearer token refused: ${error.message}`);
        throw new UnauthorizedException('invalid token');
      }
      throw error;
    }
  }

  private async assertOwnAgency(principal: Principal): Promise<void> {
    if (!this.ownAgency) return;
    if (!principal.agencyId || principal.agencyId !== (await this.ownAgency.agencyId())) {
      throw new ForbiddenException('forbidden');
    }
  }

  /** Mailbox routes are for the people bound to that mailbox only; least privilege, even for admins. */
  private mayReachMailbox(principal: Principal, mailboxId: string): boolean {
    return principal.roles.includes('mailbox-user') && principal.mailboxes.includes(mailboxId);
  }
}
