import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { describeError } from '@app/messaging';

const MAX_BACKOFF_MS = 30_000;

/**
 * Connects the service's DataSource after the HTTP server is up, retrying with backoff while
 * PostgreSQL is unreachable, so that /health can report the database as down meanwhile instead
 * of the service not answering at all.
 */
@Injectable()
export class DatabaseConnector {
  private readonly logger = new Logger('Database');

  constructor(private readonly dataSource: DataSource) {}

  async connect(): Promise<void> {
    for (let attempt = 1; !this.dataSource.isInitialized; attempt++) {
      try {
        await this.dataSource.initialize();
        this.logger.log('connected to PostgreSQL');
      } catch (error) {
        const delay = Math.min(1_000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
        this.logger.warn(
          `PostgreSQL unreachable (attempt ${attempt}): ${describeError(error)}; retrying in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
