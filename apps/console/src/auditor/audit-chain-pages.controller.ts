import { Get, Query, Render, Res } from '@nestjs/common';
import { Response } from 'express';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { FormPost } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';
import { ChainChecks } from './chain-checks.service';

/**
 * Proving the trail: verify it (the whole chain or a range of rows) with the result in plain
 * words, download an export as the audit API made it, the audit service's public keys, and how
 * to verify an export offline.
 */
@ConsolePages('audit/chain')
@NeedsRole('auditor')
export class AuditChainPagesController {
  constructor(private readonly checks: ChainChecks) {}

  @Get()
  async verify(
    @CurrentSession() session: ActiveSession,
    @Query() query: FormPost,
    @Res() response: Response,
  ): Promise<void> {
    const page = await this.checks.verifyPage(session, query);
    const refused = page.errors.summary.length > 0;
    response.status(refused ? 400 : 200).render('audit-verify', {
      pageTitle: refused ? 'Error: Verify the audit trail' : 'Verify the audit trail',
      navActive: 'audit',
      auditSection: 'chain',
      ...page,
    });
  }

  /** The export as a file: the API's JSON unchanged, so it verifies offline as it was signed. */
  @Get('export')
  async export(
    @CurrentSession() session: ActiveSession,
    @Query() query: FormPost,
    @Res() response: Response,
  ): Promise<void> {
    const answer = await this.checks.exportFile(session, query);
    if ('file' in answer) {
      response.type('application/json').attachment(answer.file.fileName).send(answer.file.body);
      return;
    }
    const failed = answer.page.errors.summary.length > 0 || answer.page.result?.ok === false;
    response.status(failed ? (answer.page.result ? 409 : 400) : 200).render('audit-verify', {
      pageTitle: 'Error: Verify the audit trail',
      navActive: 'audit',
      auditSection: 'chain',
      ...answer.page,
    });
  }

  /** The audit service's public key set (its checkpoint key), for an offline verification. */
  @Get('audit-jwks.json')
  async auditKeys(@Res() response: Response): Promise<void> {
    response
      .type('application/json')
      .attachment('audit-jwks.json')
      .send(await this.checks.auditKeys());
  }

  @Get('offline')
  @Render('audit-offline')
  offline() {
    return { pageTitle: 'Verify an export offline', navActive: 'audit', auditSection: 'offline' };
  }
}
