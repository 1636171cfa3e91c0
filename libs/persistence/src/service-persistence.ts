import { DataSourceOptions } from 'typeorm';

/** An entity or migration class, as TypeORM takes them. */
export type PersistedClass = new (...args: never[]) => unknown;

/** What one service keeps in PostgreSQL: its own schema, its entities and its migrations. */
export interface ServicePersistence {
  /** The PostgreSQL schema the service owns; no other service writes to it. */
  schema: string;
  entities: PersistedClass[];
  migrations: PersistedClass[];
}

export interface DatabaseSettings {
  url: string;
  poolSize?: number;
}

/**
 * DataSource options for a service. Unqualified names in migrations resolve to the service's
 * schema through search_path; `synchronize` is never on: the schema changes only by migrations.
 */
export function dataSourceOptions(
  persistence: ServicePersistence,
  database: DatabaseSettings,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: database.url,
    schema: persistence.schema,
    entities: persistence.entities,
    migrations: persistence.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    // TypeORM's error log prints query parameters, which may be personal data: errors reach callers instead.
    logging: false,
    extra: {
      max: database.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      options: `-c search_path=${persistence.schema}`,
      application_name: persistence.schema,
    },
  };
}
