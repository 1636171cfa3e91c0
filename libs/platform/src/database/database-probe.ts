import { Injectable } from '@nestjs/common';
import { DependencyProbe } from '@app/messaging';
import { DataSource } from 'typeorm';

const PROBE_TIMEOUT_MS = 2_000;

/** The database is up when it answers `SELECT 1` within two seconds. */
@Injectable()
export class DatabaseProbe implements DependencyProbe {
  constructor(private readonly dataSource: DataSource) {}

  async dependenciesUp(): Promise<boolean> {
    if (!this.dataSource.isInitialized) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    });
    const ping = this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return Promise.race([ping, timeout]).finally(() => clearTimeout(timer));
  }
}
