/**
 * Tells whether the service's own dependencies (its database) are reachable. When they are not,
 * a failing handler is not the record's fault: RecordProcessor keeps retrying it without counting
 * the attempt, so an outage never sends good records to the dead-letter topic.
 */
export interface DependencyProbe {
  dependenciesUp(): Promise<boolean>;
}

export const DEPENDENCY_PROBE = Symbol('DEPENDENCY_PROBE');

/** The Prometheus registry of the service, provided by the platform. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
