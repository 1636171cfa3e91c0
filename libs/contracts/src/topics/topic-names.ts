/**
 * Every Kafka topic the exchange uses, in one place. Versioned so that an incompatible change
 * of record format gets a new topic rather than breaking old consumers.
 */
export const Topics = {
  /** Signed envelopes from every node to the hub, keyed by subjectRef. */
  submissions: 'sgx.submissions.v1',
  /** Signed receipts (delivered, acknowledged) from nodes to the hub. */
  receipts: 'sgx.receipts.v1',
  /** Audit events from every service to the audit trail. */
  auditEvents: 'sgx.audit-events.v1',
  /** Records that could not be processed after retries, with the reason in headers. */
  deadLetter: 'sgx.dead-letter.v1',
  /** Records that failed verification (signature, schema, replay), kept for investigation. */
  quarantine: 'sgx.quarantine.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** The delivery topic of one node: only that node's principal may read it. */
export function deliveryTopic(nodeId: string): string {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(nodeId)) {
    throw new Error(`invalid node id for a delivery topic: "${nodeId}"`);
  }
  return `sgx.delivery.${nodeId}.v1`;
}
