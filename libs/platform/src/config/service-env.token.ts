/** Injection token of the validated environment of the running service (a BaseServiceEnv). */
export const SERVICE_ENV = Symbol('SERVICE_ENV');

/** Static facts about the running service, fixed at build time. */
export interface ServiceDescriptor {
  /** Kebab-case service name as in apps/, used in logs and metrics. */
  name: string;
  /** What the service does, for the OpenAPI document. */
  description: string;
  /**
   * false for a service that never talks to Kafka (the web console): its /health then checks
   * only what it uses. Default true.
   */
  usesKafka?: boolean;
}

export const SERVICE_DESCRIPTOR = Symbol('SERVICE_DESCRIPTOR');
