export * from './config/base-service.env';
export * from './config/secret.decorator';
export * from './config/service-env.token';
export * from './config/service-env-defaults';
export * from './config/validate-env';
export * from './metrics/metrics.service';
export * from './platform.module';
export * from './bootstrap/service-app';
