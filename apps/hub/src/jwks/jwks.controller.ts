import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/platform';
import { JsonWebKeySet } from '@app/crypto';
import { NodeKeyService } from '@app/registry';

/**
 * The nodes' public keys as a standard JWKS (RFC 7517), so any JOSE library can verify an
 * envelope without this project's code. Public by nature: it holds public keys only.
 */
@ApiTags('trust')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly nodeKeys: NodeKeyService) {}

  @Public()
  @Get('jwks.json')
  @Header('Content-Type', 'application/jwk-set+json')
  // Short, so a revoked key leaves remote verifiers' caches within a minute; the hub itself
  // reads the registry on every verification.
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'Active and retiring public signing and encryption keys of every node' })
  @ApiOkResponse({ description: 'A JWK Set: {"keys": [...]} with kid, use and alg on each key' })
  jwks(): Promise<JsonWebKeySet> {
    return this.nodeKeys.jwks();
  }

  /**
   * The hub's own keys only. The full set above does not say which node a kid belongs to, so a
   * node verifying the hub's countersignature must use this one: any key here is the hub's. It
   * also holds the hub's current encryption key, the one nodes encrypt submissions and receipts
   * to (see NodeKeyService.jwksOf).
   */
  @Public()
  @Get('hub-jwks.json')
  @Header('Content-Type', 'application/jwk-set+json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: "The hub's public keys: signing keys and its current encryption key" })
  hubJwks(): Promise<JsonWebKeySet> {
    return this.nodeKeys.jwksOf('hub');
  }
}
