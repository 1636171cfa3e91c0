import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '@app/platform';

import { RegistryOverview, RegistryOverviewService } from './registry-overview.service';

/** The registry for administrators: agencies, nodes, mailboxes, MARAC membership, node keys. */
@ApiTags('admin')
@Authorize('admin')
@Controller('admin/registry')
export class AdminRegistryController {
  constructor(private readonly registry: RegistryOverviewService) {}

  @Get()
  @ApiOperation({ summary: 'The registry: agencies, nodes, mailboxes, MARAC members, node keys' })
  overview(): Promise<RegistryOverview> {
    return this.registry.overview();
  }
}
