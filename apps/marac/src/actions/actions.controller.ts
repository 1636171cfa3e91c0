import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertActsFor, Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { MaracExceptionFilter } from '../errors/marac-exception.filter';
import { ActionProgressUseCase, ActionState } from './action-progress.usecase';
import { AcknowledgeActionDto, ActionUpdateDto } from './actions.dto';

const ActionId = () => Param('actionId', new ParseUUIDPipe({ version: '4' }));

/** The owning agency's system acknowledges and updates its actions (the owner only). */
@ApiTags('marac')
@Controller('actions')
@UseFilters(MaracExceptionFilter)
export class ActionsController {
  constructor(private readonly progress: ActionProgressUseCase) {}

  @Post(':actionId/acknowledge')
  @HttpCode(200)
  @Authorize('agency-system')
  acknowledge(
    @ActionId() actionId: string,
    @Body() input: AcknowledgeActionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ActionState> {
    assertActsFor(principal, input.agencyId);
    return this.progress.acknowledge(actionId, input);
  }

  @Post(':actionId/updates')
  @HttpCode(201)
  @Authorize('agency-system')
  update(
    @ActionId() actionId: string,
    @Body() input: ActionUpdateDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ActionState> {
    assertActsFor(principal, input.agencyId);
    return this.progress.update(actionId, input);
  }
}
