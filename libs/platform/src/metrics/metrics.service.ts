import { cryptoOperationCounts, CryptoOperation } from '@app/crypto';
import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

import { SERVICE_DESCRIPTOR, ServiceDescriptor } from '../config/service-env.token';

/**
 * The service's Prometheus registry. One registry per application instance (not prom-client's
 * global one) so that several services can run in one process in tests. Labels never carry
 * personal data: paths are route templates, never concrete URLs.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;

  constructor(@Inject(SERVICE_DESCRIPTOR) descriptor: ServiceDescriptor) {
    this.registry.setDefaultLabels({ service: descriptor.name });
    collectDefaultMetrics({ register: this.registry, prefix: 'sgx_' });
    this.httpRequests = new Counter({
      name: 'sgx_http_requests_total',
      help: 'HTTP requests served, by route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    new Counter({
      name: 'sgx_crypto_operations_total',
      help: 'EdDSA signs and verifies, ECDH-ES+A256GCM encrypts and decrypts done by this process',
      labelNames: ['operation'],
      registers: [this.registry],
      // The tally lives in @app/crypto (plain functions, no registry); copied in at each scrape.
      collect() {
        this.reset();
        for (const [operation, count] of Object.entries(cryptoOperationCounts())) {
          this.labels(operation as CryptoOperation).inc(count);
        }
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
