/**
 * Issue 15 item 5: one trace shows a notification's whole way. The police system's POST
 * /incidents starts it; the traceparent goes with the submission through the outbox and Kafka to
 * the hub, with the delivery to the MASH's node, with that node's receipt back to the hub, and
 * with the hub's answer to the police node: every one of those spans has the same trace id. No
 * span name or attribute holds the child's details or the police reference.
 * Real: Kafka, PostgreSQL, the hub, the police and social care nodes (PoliceExchange).
 * Faked: nothing; the spans go to an in-memory exporter instead of an OTLP collector.
 */
import { Topics, deliveryTopic } from '@app/contracts';
import { shutdownTracing, startTracing } from '@app/tracing';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';

import { eventually } from '../support/service-harness';
import { PoliceExchange } from '../support/police-exchange';

describe('a notification’s trace', () => {
  const spans = new InMemorySpanExporter();
  const exchange = new PoliceExchange();

  beforeAll(async () => {
    startTracing({
      serviceName: 'tracing-test',
      spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
    });
    await exchange.start();
  });

  afterAll(async () => {
    await exchange.stop();
    await shutdownTracing();
  });

  it('runs from POST /incidents through the hub, the delivery and the receipts under one trace id, with no personal data in any span', async () => {
    const body = exchange.notification({}, { name: 'Tracey Canarychild' });
    const { incidentId } = await exchange.submit(body);
    await exchange.untilStatus(
      incidentId,
      (current) =>
        current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'delivered'),
      'the MASH delivery reported back to the police',
    );

    const finished = () => spans.getFinishedSpans();
    const request = finished().find((span) => span.name === 'POST /incidents');
    expect(request?.attributes).toMatchObject({
      'http.route': '/incidents',
      'http.response.status_code': 202,
      'service.name': 'police-adapter',
    });
    const traceId = request!.spanContext().traceId;
    const inTrace = (name: string) =>
      finished().filter((span) => span.name === name && span.spanContext().traceId === traceId);
    const expected = [
      `process ${Topics.submissions}`,
      `process ${deliveryTopic('social-care')}`,
      `process ${Topics.receipts}`,
      `process ${deliveryTopic('police')}`,
    ];
    const seen = await eventually(
      async () => {
        const found = expected.map((name) => [name, inTrace(name).length] as const);
        return found.every(([, count]) => count > 0) ? found : undefined;
      },
      { what: `spans ${expected.join(', ')} in trace ${traceId}` },
    );
    expect(seen.map(([name]) => name)).toEqual(expected);

    // Each hop's span is a child of a span of the same trace, not a new root.
    for (const name of expected) {
      for (const span of inTrace(name)) expect(parentOf(span)).toBeTruthy();
    }
    const everything = JSON.stringify(
      finished().map((span) => ({ name: span.name, attributes: span.attributes })),
    );
    for (const personal of [
      'Tracey Canarychild',
      body.policeReference,
      body.child.dateOfBirth as string,
      body.location,
    ]) {
      expect(everything).not.toContain(personal);
    }
  });
});

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
