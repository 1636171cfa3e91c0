import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';

import { MetricsService } from './metrics.service';

/** Counts HTTP requests by route template (never the concrete URL, which may hold identifiers). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
    const count = () =>
      this.metrics.httpRequests.inc({
        method: request.method,
        route,
        status: String(http.getResponse<Response>().statusCode),
      });
    return next.handle().pipe(tap({ next: count, error: count }));
  }
}
