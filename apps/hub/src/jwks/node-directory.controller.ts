import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/platform';
import { JsonWebKeySet } from '@app/crypto';
import { NodeKeyService, RegistryService } from '@app/registry';

export class NodeDirectoryEntryDto {
  id!: string;
  agencyId!: string;
  status!: string;
}

const NODE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Which agency a node serves, from the registry. A node reads its own entry to bind the
 * agency-system tokens it accepts to its agency (nodes never read the hub's schema). Public like
 * the key sets: it names organisations, never people.
 */
@ApiTags('trust')
@Controller('.well-known/nodes')
export class NodeDirectoryController {
  constructor(
    private readonly registry: RegistryService,
    private readonly nodeKeys: NodeKeyService,
  ) {}

  @Public()
  @Get(':nodeId')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: "A node's registry entry: its agency and status" })
  @ApiOkResponse({ type: NodeDirectoryEntryDto })
  async entry(@Param('nodeId') nodeId: string): Promise<NodeDirectoryEntryDto> {
    const node = NODE_ID.test(nodeId) ? await this.registry.findNode(nodeId) : null;
    if (!node) throw new NotFoundException('no such node');
    return { id: node.id, agencyId: node.agencyId, status: node.status };
  }

  /**
   * One node's keys that verify now (and its current encryption key): any key here is that
   * node's. The audit service checks each audit event's signature against the keys of the node
   * the event names as its actor.
   */
  @Public()
  @Get(':nodeId/jwks.json')
  @Header('Content-Type', 'application/jwk-set+json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({
    summary: "A node's public keys: signing keys that verify now, current encryption key",
  })
  @ApiOkResponse({ description: 'A JWK Set; 404 for a node the registry does not have' })
  async jwks(@Param('nodeId') nodeId: string): Promise<JsonWebKeySet> {
    const node = NODE_ID.test(nodeId) ? await this.registry.findNode(nodeId) : null;
    if (!node) throw new NotFoundException('no such node');
    return this.nodeKeys.jwksOf(nodeId);
  }
}
