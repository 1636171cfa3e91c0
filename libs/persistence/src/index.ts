export * from './service-persistence';
export * from './database-admin';
export * from './update-returning';
export * from './channel-listener';
