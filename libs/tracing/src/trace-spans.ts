import {
  Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

const tracer = () => trace.getTracer('safeguarding-exchange');

/** The W3C trace context header (the CloudEvents distributed tracing extension uses it too). */
export const TRACEPARENT_HEADER = 'traceparent';

/**
 * The active span's trace context as record headers (`traceparent`, and `tracestate` when set),
 * so the outbox carries it to the broker and the next service continues the same trace. Empty
 * when no span is active.
 */
export function activeTraceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Kafka headers (Buffers, strings, arrays) as the string map a propagator reads. */
function textHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? (value[0] as unknown) : value;
    if (Buffer.isBuffer(first)) text[key] = first.toString('utf8');
    else if (typeof first === 'string') text[key] = first;
  }
  return text;
}

/**
 * Runs one consumed record's work in a consumer span whose parent is the trace context the
 * record carries, so its outbox writes (deliveries, receipts, audit events) carry the same trace.
 * Attributes are the topic, partition and outcome: never a key, a header value or the payload.
 */
export function inRecordSpan<T>(
  record: { topic: string; partition: number; headers?: Record<string, unknown> },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, textHeaders(record.headers));
  return tracer().startActiveSpan(
    `process ${record.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': record.topic,
        'messaging.destination.partition.id': String(record.partition),
      },
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        // The error's class only: a message may quote what a record held.
        markFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Express middleware (installed after the body parser, so the span stays the active context
 * through guards and the handler): one server span per request, named by the route template
 * (`POST /incidents`), never by the URL, with the status code. A caller's own `traceparent`
 * is continued, so an agency's system can follow its request into the exchange.
 */
export function httpServerSpans(serviceName: string) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const attributes: Attributes = {
      'http.request.method': request.method,
      'service.name': serviceName,
    };
    const span = tracer().startSpan(request.method, { kind: SpanKind.SERVER, attributes }, parent);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = (request.route as { path?: string } | undefined)?.path;
      span.updateName(`${request.method} ${route ?? 'unmatched route'}`);
      if (route) span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    response.once('finish', end);
    response.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}

function markFailed(span: Span, error: unknown): void {
  const type = error instanceof Error ? error.constructor.name : typeof error;
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}
