import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';

import { UnknownTopicError } from '../kafka/kafka-publisher.service';
import { isPublishRefusal } from './publish-refusal';

describe('isPublishRefusal: what counts towards OUTBOX_MAX_ATTEMPTS', () => {
  const protocolError = (type: string, retriable: boolean) =>
    new KafkaJSProtocolError({ message: type, type, code: 29, retriable } as never);

  it('counts the broker refusing the records: no such topic, not authorised, too large', () => {
    expect(isPublishRefusal(new UnknownTopicError('sgx.delivery.hub.v1'))).toBe(true);
    const denied = protocolError('TOPIC_AUTHORIZATION_FAILED', false);
    expect(
      isPublishRefusal(Object.assign(new KafkaJSNonRetriableError(denied), { cause: denied })),
    ).toBe(true);
    expect(isPublishRefusal(protocolError('MESSAGE_TOO_LARGE', false))).toBe(true);
  });

  it('never counts an unreachable broker or a retriable answer', () => {
    expect(isPublishRefusal(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe(
      false,
    );
    const leader = protocolError('LEADER_NOT_AVAILABLE', true);
    expect(
      isPublishRefusal(new KafkaJSNumberOfRetriesExceeded(leader, { retryCount: 5 } as never)),
    ).toBe(false);
    expect(isPublishRefusal(new Error('socket hang up'))).toBe(false);
  });
});
