import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { Authorize } from '@app/platform';

import { ChainRecord } from '../chain/chain-record';
import { CorrelationTrail, TrailPage } from '../trail/trail-query.service';
import { AuditActor } from './audit-actor.decorator';
import { AuditExceptionFilter } from './audit-exception.filter';
import { AuditorReadsService } from './auditor-reads.service';
import { MessageTrailParams } from './dto/message-trail.params';
import { TrailSearchQuery } from './dto/trail-search.query';

/** Default page size of a search. */
const SEARCH_PAGE = 100;

/** Auditors' reads of the trail (role: auditor). Metadata rows only. */
@Authorize('auditor')
@Controller('audit')
@UseFilters(AuditExceptionFilter)
export class TrailController {
  constructor(private readonly reads: AuditorReadsService) {}

  /** A message's whole trail in chain order. */
  @Get('messages/:messageId/trail')
  messageTrail(
    @AuditActor() actor: string,
    @Param() params: MessageTrailParams,
  ): Promise<ChainRecord[]> {
    return this.reads.messageTrail(actor, params.messageId.toLowerCase());
  }

  /**
   * A message's whole story following its correlation: the submission, each delivery (a view
   * for one mailbox, a message of its own) with its receipts and escalations, and the replies.
   * Asked with any message of the story, it starts from the one they correlate to.
   */
  @Get('correlations/:messageId')
  correlationTrail(
    @AuditActor() actor: string,
    @Param() params: MessageTrailParams,
  ): Promise<CorrelationTrail> {
    return this.reads.correlationTrail(actor, params.messageId.toLowerCase());
  }

  /** Search by subject, agency, mailbox, type, action and time, a page at a time. */
  @Get('records')
  search(@AuditActor() actor: string, @Query() query: TrailSearchQuery): Promise<TrailPage> {
    return this.reads.search(actor, {
      subjectRef: query.subjectRef,
      agency: query.agency,
      mailbox: query.mailbox,
      messageType: query.type,
      action: query.action,
      from: query.from,
      to: query.to,
      afterSeq: query.afterSeq,
      limit: query.limit ?? SEARCH_PAGE,
    });
  }
}
