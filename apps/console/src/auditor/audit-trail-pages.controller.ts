import { Get, Param, Query, Render, Res } from '@nestjs/common';
import { Response } from 'express';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { PageNotFoundError } from '../pages/page-errors';
import { FormPost } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';
import { MessageStories } from './message-stories.service';
import { TrailSearches } from './trail-searches.service';

const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The auditor's trail: search it (a GET form, so a search can be paged and bookmarked), and one
 * message's whole story as a timeline following its correlation. Metadata only, as the audit
 * API gives it; the API decides who may read it (role auditor).
 */
@ConsolePages('audit')
@NeedsRole('auditor')
export class AuditTrailPagesController {
  constructor(
    private readonly searches: TrailSearches,
    private readonly stories: MessageStories,
  ) {}

  /** A search the form names a problem in is answered 400, with the problems on the page. */
  @Get()
  async search(
    @CurrentSession() session: ActiveSession,
    @Query() query: FormPost,
    @Res() response: Response,
  ): Promise<void> {
    const page = await this.searches.page(session, query);
    const refused = page.errors.summary.length > 0;
    response.status(refused ? 400 : 200).render('audit-search', {
      pageTitle: refused ? 'Error: Search the audit trail' : 'Search the audit trail',
      navActive: 'audit',
      auditSection: 'search',
      ...page,
    });
  }

  @Get('messages/:messageId')
  @Render('audit-story')
  async story(@CurrentSession() session: ActiveSession, @Param('messageId') messageId: string) {
    if (!MESSAGE_ID.test(messageId)) throw new PageNotFoundError();
    return {
      pageTitle: 'A message’s story',
      navActive: 'audit',
      ...(await this.stories.of(session, messageId.toLowerCase())),
    };
  }
}
