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
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
