import { CreateAuditRecord1764140200000 } from './migrations/1764140200000-create-audit-record';
import { AuditRecordEntity } from './trail/audit-record.entity';

export const AUDIT_TABLES = {
  entities: [AuditRecordEntity],
  migrations: [CreateAuditRecord1764140200000],
};
