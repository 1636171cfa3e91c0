import { TransientDependencyError } from '@app/messaging';

/**
 * A service a request needs cannot be reached (the exchange hub's key set, say), and nothing of
 * the request was stored: the caller may send it again later. Thrown anywhere below a controller,
 * the platform answers it with 503, the code, the public message and a Retry-After header
 * (DependencyUnavailableFilter), so no controller maps it and no caller sees a 500. The error's
 * own message is for the log: it may name a host or a network error, never personal data. On a
 * Kafka handler it is transient: the record is retried until the dependency is back.
 */
export class DependencyUnavailableError extends TransientDependencyError {
  constructor(
    /** A stable code for clients, e.g. HUB_KEYS_UNAVAILABLE. */
    readonly code: string,
    /** What the caller is told: what is unavailable, that nothing was stored, what to do. */
    readonly publicMessage: string,
    detail: string,
    readonly retryAfterSeconds = 30,
  ) {
    super(detail);
    this.name = 'DependencyUnavailableError';
  }
}
