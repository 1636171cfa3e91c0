import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { MissingEpisode, RequestExamples } from '@app/contracts';
import { Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { DEFAULT_PAGE_SIZE } from '../lists/newest-first-page';
import { NewestFirstPageQuery } from '../lists/newest-first-page.query';
import { MissingEpisodeListService, MissingEpisodePage } from './missing-episode-list.service';
import {
  MissingEpisodeStatus,
  MissingEpisodeStatusService,
} from './missing-episode-status.service';
import {
  ReportedMissingEpisode,
  ReportMissingEpisodeUseCase,
} from './report-missing-episode.usecase';

/**
 * The agency's system (police, social care) reports missing episodes and follows them. The body
 * is the `missing-episode` contract itself, so what the API accepts is exactly what the envelope
 * may carry.
 */
@ApiTags('missing-episodes')
@Controller('missing-episodes')
export class MissingEpisodesController {
  constructor(
    private readonly report: ReportMissingEpisodeUseCase,
    private readonly episodes: MissingEpisodeStatusService,
    private readonly list: MissingEpisodeListService,
  ) {}

  @Post()
  @ApiBody({ type: MissingEpisode, examples: RequestExamples.missingEpisode })
  @HttpCode(202)
  @Authorize('agency-system')
  @ApiOperation({
    summary:
      'Report a child missing, or report the episode again (found, regraded) under the same episodeId',
  })
  @ApiAcceptedResponse({ description: "Accepted: the report's message id" })
  @ApiBadRequestResponse({ description: 'Every invalid field is named; nothing is sent' })
  create(
    @Body() episode: MissingEpisode,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReportedMissingEpisode> {
    return this.report.execute(episode, principal.subject);
  }

  @Get()
  @Authorize('agency-system')
  @ApiOperation({
    summary:
      "The node's own episodes, newest first, a page at a time: each recipient mailbox's status and the return home interview's standing",
  })
  episodesPage(@Query() query: NewestFirstPageQuery): Promise<MissingEpisodePage> {
    return this.list.page(query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
  }

  @Get(':episodeId')
  @Authorize('agency-system')
  @ApiOperation({
    summary: "The episode's reports, each recipient mailbox's status and the return home interview",
  })
  status(
    @Param('episodeId', new ParseUUIDPipe()) episodeId: string,
  ): Promise<MissingEpisodeStatus> {
    return this.episodes.status(episodeId);
  }
}
