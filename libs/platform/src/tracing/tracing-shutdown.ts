import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { shutdownTracing } from '@app/tracing';

/** Sends the spans still buffered when the service stops (a no-op when tracing never started). */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return shutdownTracing();
  }
}
