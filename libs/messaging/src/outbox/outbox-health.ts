import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * How many outbox rows the relay gave up on (failed_at set): records the service owes but the
 * broker kept refusing. /health names the count as a detail and /metrics as
 * `sgx_outbox_unsendable`. The service is degraded, not down: everything else still flows
 * (docs/operations.md, "Outbox").
 */
@Injectable()
export class OutboxHealth {
  constructor(private readonly dataSource: DataSource) {}

  async unsendable(): Promise<number> {
    const [row] = (await this.dataSource.query(
      'SELECT count(*)::int AS count FROM outbox WHERE failed_at IS NOT NULL AND sent_at IS NULL',
    )) as { count: number }[];
    return row.count;
  }
}
