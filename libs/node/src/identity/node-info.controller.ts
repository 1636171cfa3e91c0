import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { deliveryTopic } from '@app/contracts';
import { Authorize } from '@app/platform';

import { NODE_IDENTITY, NodeIdentity } from './node-identity';

export class NodeInfoDto {
  nodeId!: string;
  agencyKind!: string;
  deliveryTopic!: string;
}

/** Which node this is; holds no personal data. */
@ApiTags('node')
@Controller('node')
export class NodeInfoController {
  constructor(@Inject(NODE_IDENTITY) private readonly identity: NodeIdentity) {}

  @Get()
  @Authorize()
  @ApiOperation({ summary: "This node's id, agency kind and delivery topic" })
  @ApiOkResponse({ type: NodeInfoDto })
  info(): NodeInfoDto {
    return {
      nodeId: this.identity.nodeId,
      agencyKind: this.identity.agencyKind,
      deliveryTopic: deliveryTopic(this.identity.nodeId),
    };
  }
}
