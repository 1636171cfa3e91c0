import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace';

let running: NodeSDK | undefined;

/** Whether the standard OTLP variables name a collector to send traces to. */
export function otlpExporterConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
}

/**
 * Starts OpenTelemetry for this process, once. Spans are always made (so a notification's
 * traceparent goes on through the outbox, Kafka and the next service); they leave the process
 * only when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT, the standard variables),
 * never by default. No auto-instrumentation: the project makes its own spans, whose attributes
 * it chooses (route templates, topics, codes), so no URL, query, SQL or body reaches a span.
 */
export function startTracing(options: {
  serviceName: string;
  /** Where spans go instead of the configured exporter (the tests' in-memory exporter). */
  spanProcessors?: SpanProcessor[];
}): void {
  if (running) return;
  const spanProcessors =
    options.spanProcessors ??
    (otlpExporterConfigured()
      ? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })]
      : []);
  running = new NodeSDK({
    serviceName: options.serviceName,
    spanProcessors,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
    autoDetectResources: false,
    textMapPropagator: new W3CTraceContextPropagator(),
  });
  running.start();
}

/** Sends what is buffered and stops; a service calls it as it shuts down. */
export async function shutdownTracing(): Promise<void> {
  const sdk = running;
  running = undefined;
  await sdk?.shutdown();
  // Unregistered too, so a later start in this process registers afresh.
  trace.disable();
  context.disable();
  propagation.disable();
}
