import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestExamples } from '@app/contracts';
import { Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { RecordReturnHomeInterviewDto } from './dto/record-return-home-interview.dto';
import {
  RecordedReturnHomeInterview,
  RecordReturnHomeInterviewUseCase,
} from './record-return-home-interview.usecase';

/** Social care sends the outcome of a return home interview for an episode it received. */
@ApiTags('missing-episodes')
@Controller('missing-episodes')
export class ReturnHomeInterviewsController {
  constructor(private readonly interviews: RecordReturnHomeInterviewUseCase) {}

  @Post(':episodeId/return-home-interview')
  @ApiBody({ type: RecordReturnHomeInterviewDto, examples: RequestExamples.returnHomeInterview })
  @HttpCode(202)
  @Authorize('agency-system', 'mailbox-user')
  @ApiOperation({
    summary:
      "The return home interview's outcome: the node's system, or a user of the mailbox that received the episode",
  })
  record(
    @Param('episodeId', new ParseUUIDPipe()) episodeId: string,
    @Body() dto: RecordReturnHomeInterviewDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RecordedReturnHomeInterview> {
    return this.interviews.execute(episodeId, dto, principal);
  }
}
