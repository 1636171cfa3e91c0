import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, Principal } from '@app/platform';

import {
  DeadLetterAdminService,
  DeadLetterEntry,
  DeadLetterNotFoundError,
} from './dead-letter-admin.service';
import { DeadLetterRecordParams } from './dto/dead-letter-record.params';

export interface DeadLetterList {
  items: DeadLetterEntry[];
}

export interface DeadLetterReplayed {
  replayed: DeadLetterEntry;
}

/** Dead-lettered records for administrators: where, when and why, and their re-drive. */
@ApiTags('admin')
@Authorize('admin')
@Controller('admin/dead-letters')
export class AdminDeadLettersController {
  constructor(private readonly deadLetters: DeadLetterAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Every dead-lettered record, the newest first, without its value' })
  async list(): Promise<DeadLetterList> {
    return { items: await this.deadLetters.list() };
  }

  @Post(':record/replay')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Re-drives one dead letter to its source topic (as npm run dead-letter replay)',
  })
  async replay(
    @Param() params: DeadLetterRecordParams,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DeadLetterReplayed> {
    try {
      return {
        replayed: await this.deadLetters.replay(params.record, principal.subject.slice(0, 100)),
      };
    } catch (error) {
      if (error instanceof DeadLetterNotFoundError) {
        throw new NotFoundException('no dead letter that can be re-driven at that record');
      }
      throw error;
    }
  }
}
