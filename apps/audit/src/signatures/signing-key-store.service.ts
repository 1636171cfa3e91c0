import { Injectable } from '@nestjs/common';
import { JWK } from 'jose';
import { DataSource } from 'typeorm';

/** A public key an appended event was verified with, and the node whose key it is. */
export interface KnownSigningKey {
  nodeId: string;
  kid: string;
  publicJwk: JWK;
}

/**
 * Keeps every public key an appended event was verified with (audit_signing_key), before the
 * event is appended, so an export can carry the keys its rows were signed with even after the
 * registry has rotated them out.
 */
@Injectable()
export class SigningKeyStore {
  private readonly stored = new Set<string>();

  constructor(private readonly db: DataSource) {}

  async remember(key: KnownSigningKey): Promise<void> {
    if (this.stored.has(key.kid)) return;
    await this.db.query(
      `INSERT INTO audit_signing_key (kid, node_id, public_jwk) VALUES ($1, $2, $3)
       ON CONFLICT (kid) DO NOTHING`,
      [key.kid, key.nodeId, JSON.stringify(key.publicJwk)],
    );
    this.stored.add(key.kid);
  }

  async find(kids: string[]): Promise<KnownSigningKey[]> {
    if (kids.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT kid, node_id AS "nodeId", public_jwk AS "publicJwk" FROM audit_signing_key
        WHERE kid = ANY($1) ORDER BY kid`,
      [kids],
    )) as KnownSigningKey[];
    return rows;
  }
}
