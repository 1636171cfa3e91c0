export * from './retention-periods';
export * from './retention-purge.job';
export * from './retention-purger.service';
export * from './retention-rules';
export * from './retention-store';
export * from './retention.module';
