import { Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  hasPrivateMembers,
  JsonWebKeySet,
  KeyUse,
  keyRefusalAt,
  publicOnly,
  ResolvedKey,
} from '@app/crypto';
import { JWK } from 'jose';
import { EntityManager, In, Repository } from 'typeorm';

import { NodeKeyEntity } from './entities/node-key.entity';
import { NodeKeyCache } from './node-key-cache.service';

/** A public key to register, as the keys command produces it. */
export interface NewNodeKey {
  nodeId: string;
  publicJwk: JWK;
  notBefore?: Date;
}

function toResolved(row: NodeKeyEntity): ResolvedKey {
  return {
    kid: row.kid,
    nodeId: row.nodeId,
    use: row.use,
    jwk: publicOnly(row.publicJwk),
    status: row.status,
    notBefore: row.notBefore,
    retireAfter: row.retireAfter,
  };
}

function checkedKey(key: NewNodeKey): { kid: string; use: KeyUse } {
  // The registry is public by design: a private half here would be a leak, so refuse loudly.
  if (hasPrivateMembers(key.publicJwk))
    throw new Error('refusing to register private key material');
  const { kid, use, alg } = key.publicJwk;
  if (!kid) throw new Error('the public JWK must carry a kid');
  if (use !== 'sig' && use !== 'enc') throw new Error('the public JWK must have use sig or enc');
  if (!alg) throw new Error('the public JWK must carry an alg');
  return { kid, use };
}

/**
 * The nodes' public keys: registration, rotation (the new kid becomes current, the old one
 * verifies until the grace period ends), revocation (invalid at once), look-up by kid, JWKS.
 * Look-ups go through the hub's NodeKeyCache when there is one (the scripts read the table
 * directly): emptied by the table's NOTIFY at every change, so a revocation holds from the
 * next verification after it commits.
 */
@Injectable()
export class NodeKeyService {
  constructor(
    @InjectRepository(NodeKeyEntity) private readonly keys: Repository<NodeKeyEntity>,
    @Optional() private readonly cache?: NodeKeyCache,
  ) {}

  /** Registers a node's first (or replacement after revocation) key of a use as its current one. */
  async register(key: NewNodeKey): Promise<NodeKeyEntity> {
    return this.keys.manager.transaction((manager) => this.insertActive(manager, key));
  }

  /**
   * Makes `key` the node's current key of its use; the previous current key becomes `retiring`
   * and still verifies until `now + graceSeconds`. Returns the retired kids.
   */
  async rotate(
    key: NewNodeKey,
    graceSeconds: number,
    now = new Date(),
  ): Promise<{ current: NodeKeyEntity; retired: string[] }> {
    const { use } = checkedKey(key);
    return this.keys.manager.transaction(async (manager) => {
      const repository = manager.getRepository(NodeKeyEntity);
      const previous = await repository.find({
        where: { nodeId: key.nodeId, use, status: 'active' },
        lock: { mode: 'pessimistic_write' },
      });
      if (previous.length > 0) {
        await repository.update(
          { kid: In(previous.map((row) => row.kid)) },
          { status: 'retiring', retireAfter: new Date(now.getTime() + graceSeconds * 1000) },
        );
      }
      const current = await this.insertActive(manager, key, now);
      return { current, retired: previous.map((row) => row.kid) };
    });
  }

  /** Revokes a key of the node: it stops verifying at once and leaves the JWKS. */
  async revoke(nodeId: string, kid: string, now = new Date()): Promise<NodeKeyEntity> {
    const row = await this.keys.findOneBy({ kid, nodeId });
    if (!row) throw new Error(`node ${nodeId} has no key ${kid}`);
    if (row.status !== 'revoked') {
      await this.keys.update({ kid }, { status: 'revoked', revokedAt: now });
    }
    return (await this.keys.findOneBy({ kid }))!;
  }

  /** The key registered under a kid, whatever its status; the verifier decides. */
  resolve(kid: string): Promise<ResolvedKey | undefined> {
    return this.cached(`kid:${kid}`, async () => {
      const row = await this.keys.findOneBy({ kid });
      return row ? toResolved(row) : undefined;
    });
  }

  /** The node's current public key of a use (what senders encrypt to), or undefined. */
  current(nodeId: string, use: KeyUse): Promise<JWK | undefined> {
    return this.cached(`current:${use}:${nodeId}`, async () => {
      const row = await this.keys.findOneBy({ nodeId, use, status: 'active' });
      return row ? publicOnly(row.publicJwk) : undefined;
    });
  }

  private cached<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    return this.cache ? this.cache.get(key, load) : load();
  }

  /** Every key of a node, newest first, for operators. */
  list(nodeId: string): Promise<NodeKeyEntity[]> {
    return this.keys.find({ where: { nodeId }, order: { createdAt: 'DESC' } });
  }

  /**
   * The JWKS of every key that verifies or may be encrypted to now: active keys and retiring
   * keys within their grace period, signing and encryption, public members only.
   */
  async jwks(now = new Date()): Promise<JsonWebKeySet> {
    const rows = await this.keys.find({
      where: { status: In(['active', 'retiring']) },
      order: { nodeId: 'ASC', use: 'ASC', createdAt: 'DESC' },
    });
    return {
      keys: rows.filter((row) => !keyRefusalAt(row, now)).map((row) => publicOnly(row.publicJwk)),
    };
  }

  /**
   * One node's published set (the hub's own, for nodes): every signing key that verifies now,
   * and only the current encryption key, so a sender selecting by `use: "enc"` has exactly one
   * key to encrypt to. Rotated-out encryption keys stay on the node's disk to decrypt what was
   * already sent to them.
   */
  async jwksOf(nodeId: string, now = new Date()): Promise<JsonWebKeySet> {
    const rows = await this.keys.find({
      where: { nodeId, status: In(['active', 'retiring']) },
      order: { use: 'ASC', createdAt: 'DESC' },
    });
    return {
      keys: rows
        .filter((row) => !keyRefusalAt(row, now))
        .filter((row) => row.use === 'sig' || row.status === 'active')
        .map((row) => publicOnly(row.publicJwk)),
    };
  }

  private async insertActive(
    manager: EntityManager,
    key: NewNodeKey,
    now = new Date(),
  ): Promise<NodeKeyEntity> {
    const { kid, use } = checkedKey(key);
    const repository = manager.getRepository(NodeKeyEntity);
    const row = repository.create({
      kid,
      nodeId: key.nodeId,
      use,
      publicJwk: publicOnly(key.publicJwk),
      status: 'active',
      notBefore: key.notBefore ?? now,
      retireAfter: null,
      revokedAt: null,
    });
    return repository.save(row);
  }
}
