/** The answer of the audit service's GET /audit/metrics?distribution=true (docs/audit.md). */
export interface DurationsJson {
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
  distribution?: { underMs: number | null; count: number }[];
}

export interface MetricsGroupJson {
  agency: string;
  messageType: string;
  submissionToDelivery?: DurationsJson;
  deliveryToAcknowledgement?: DurationsJson & { delivered: number };
  acknowledgedBeforeDeadline?: {
    withDeadline: number;
    pending: number;
    onTime: number;
    share: number | null;
  };
  referralToOutcome?: DurationsJson & { referrals: number; share: number };
  referralCompleteness?: { scored: number; mean: number; median: number };
  escalations?: number;
  maracResponses?: { requests: number; responded: number; onTime: number; rate: number };
}

export interface PartnershipMetricsJson {
  from: string;
  to: string;
  groups: MetricsGroupJson[];
}
