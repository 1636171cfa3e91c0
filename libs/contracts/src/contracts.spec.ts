import {
  fromKafkaHeaders,
  newCloudEventAttributes,
  toKafkaHeaders,
} from './cloudevents/cloud-event-headers';
import { deliveryTopic, Topics } from './topics/topic-names';
import { exchangeTopicSpecs } from './topics/topic-specs';

describe('topics', () => {
  it('gives every node its own delivery topic and refuses names that could escape the pattern', () => {
    expect(deliveryTopic('social-care')).toBe('sgx.delivery.social-care.v1');
    expect(() => deliveryTopic('police.*')).toThrow('invalid node id');
  });

  it('specifies every topic with explicit partitions and retention', () => {
    const specs = exchangeTopicSpecs(['police']);
    expect(specs.map((s) => s.topic)).toEqual(
      expect.arrayContaining([
        Topics.submissions,
        Topics.auditEvents,
        Topics.deadLetter,
        'sgx.delivery.police.v1',
      ]),
    );
    for (const spec of specs) {
      expect(spec.numPartitions).toBeGreaterThan(0);
      expect(spec.configEntries.map((c) => c.name)).toContain('retention.ms');
    }
  });
});

describe('CloudEvents Kafka binding', () => {
  it('round-trips attributes through ce_ headers as Kafka delivers them (Buffers)', () => {
    const attrs = newCloudEventAttributes({
      type: 'uk.safeguarding.exchange.referral.v1',
      source: 'education',
      subject: 'subj-1',
    });
    const headers = Object.fromEntries(
      Object.entries(toKafkaHeaders(attrs)).map(([k, v]) => [k, Buffer.from(v)]),
    );
    expect(headers.ce_specversion.toString()).toBe('1.0');
    expect(fromKafkaHeaders(headers)).toEqual({
      ...attrs,
      contentType: undefined,
      traceparent: undefined,
    });
  });

  it('names the missing header', () => {
    expect(() => fromKafkaHeaders({ ce_id: 'x', ce_type: 't', ce_source: 's' })).toThrow('ce_time');
  });

  it('refuses an id that is not a message id before anything looks it up', () => {
    const headers = { ce_type: 't', ce_source: 's', ce_time: new Date().toISOString() };
    expect(() => fromKafkaHeaders({ ...headers, ce_id: "1' OR '1'='1" })).toThrow(
      'ce_id must be a UUID',
    );
  });
});
