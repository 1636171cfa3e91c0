import { CreateAuditRecord1764140200000 } from './migrations/1764140200000-create-audit-record';
import { RebuildAuditChain1764140300000 } from './migrations/1764140300000-rebuild-audit-chain';
import { AddAuditEventSignatures1764200000000 } from './migrations/1764200000000-add-audit-event-signatures';

/**
 * The audit schema. No entities: the chain is written and read with explicit SQL so that what is
 * hashed, locked and indexed is visible in one place (apps/audit/src/chain).
 */
export const AUDIT_TABLES = {
  entities: [],
  migrations: [
    CreateAuditRecord1764140200000,
    RebuildAuditChain1764140300000,
    AddAuditEventSignatures1764200000000,
  ],
};
