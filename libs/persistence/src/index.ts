export * from './service-persistence';
export * from './database-admin';
