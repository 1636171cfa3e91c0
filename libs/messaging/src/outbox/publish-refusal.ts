import { UnknownTopicError } from '../kafka/kafka-publisher.service';

/**
 * Whether a failed publish is the broker's answer about the records themselves — the topic does
 * not exist or may not be written (UnknownTopicError: it is not even listed to this principal),
 * or a non-retriable protocol error such as TOPIC_AUTHORIZATION_FAILED or MESSAGE_TOO_LARGE —
 * rather than the broker being unreachable. Only these count towards OUTBOX_MAX_ATTEMPTS: an
 * outage, however long, never marks a row failed.
 */
interface ErrorLike {
  name?: string;
  retriable?: boolean;
  cause?: unknown;
}

export function isPublishRefusal(error: unknown): boolean {
  // kafkajs wraps the broker's answer (KafkaJSNonRetriableError, cause: the protocol error).
  let cause = error as ErrorLike | undefined;
  for (let depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof UnknownTopicError) return true;
    if (cause.name === 'KafkaJSProtocolError' && cause.retriable === false) return true;
    cause = cause.cause as ErrorLike | undefined;
  }
  return false;
}
