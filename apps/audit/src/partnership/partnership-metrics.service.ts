import { Injectable } from '@nestjs/common';
import { DeliveryAuditActions, MARAC_INFORMATION_REQUEST, REFERRAL } from '@app/contracts';
import { Clock } from '@app/platform';
import { DataSource } from 'typeorm';

import { DISTRIBUTION_BOUNDS_MS, PARTNERSHIP_QUERIES } from './partnership-metrics.queries';

/** Message types that count as referrals (a referral expects a `referral-outcome`). */
export const REFERRAL_TYPES = [REFERRAL.type];

/** One time band of a distribution: durations at least the previous band's bound, under this. */
export interface DurationBand {
  /** The band's upper bound in milliseconds; null for the last band (no upper bound). */
  underMs: number | null;
  count: number;
}

export interface Durations {
  count: number;
  /** Median and 90th percentile in milliseconds (percentile_cont: interpolated). */
  p50Ms: number | null;
  p90Ms: number | null;
  /** Counts per time band (only when asked for: `distribution`); they add up to `count`. */
  distribution?: DurationBand[];
}

/** What the caller narrows the metrics to, and whether it wants the distributions. */
export interface MetricsOptions {
  agency?: string;
  messageType?: string;
  distribution?: boolean;
}

/**
 * The partnership metrics of one agency and submission type. Which agency a figure belongs to
 * depends on who is measured (docs/audit.md, "Partnership metrics"): the sender for submission to
 * delivery, referrals and completeness; the recipient for acknowledgements, escalations and
 * MARAC responses. A section is absent when the range has nothing to measure for it.
 */
export interface PartnershipMetricsGroup {
  agency: string;
  messageType: string;
  submissionToDelivery?: Durations;
  deliveryToAcknowledgement?: Durations & { delivered: number };
  acknowledgedBeforeDeadline?: {
    withDeadline: number;
    /** Neither acknowledged nor escalated, and not due yet: in neither onTime nor share. */
    pending: number;
    onTime: number;
    /** onTime of the deliveries whose deadline is decided (withDeadline − pending); null if none. */
    share: number | null;
  };
  referralToOutcome?: Durations & { referrals: number; share: number };
  referralCompleteness?: { scored: number; mean: number; median: number };
  escalations?: number;
  maracResponses?: { requests: number; responded: number; onTime: number; rate: number };
}

export interface PartnershipMetrics {
  from: string;
  to: string;
  groups: PartnershipMetricsGroup[];
}

type Row = Record<string, string | number | null>;

const num = (value: string | number | null): number => Number(value);
const maybe = (value: string | number | null): number | null =>
  value === null ? null : Math.round(Number(value));

function durationsOf(row: Row, distribution: boolean): Durations {
  const figures: Durations = { count: num(row.n), p50Ms: maybe(row.p50), p90Ms: maybe(row.p90) };
  if (distribution) {
    figures.distribution = [...DISTRIBUTION_BOUNDS_MS, null].map((underMs, index) => ({
      underMs,
      count: num(row[`b${index}`]),
    }));
  }
  return figures;
}

/** Partnership metrics computed from the trail itself, never from any agency's own figures. */
@Injectable()
export class PartnershipMetricsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async compute(
    from: string,
    to: string,
    options: MetricsOptions = {},
  ): Promise<PartnershipMetrics> {
    const durations = (row: Row) => durationsOf(row, options.distribution === true);
    const range = [from, to];
    const deliveryActions = [...DeliveryAuditActions];
    const [submission, deliveries, referrals, marac] = (await Promise.all([
      this.db.query(PARTNERSHIP_QUERIES.submissionToDelivery, [...range, deliveryActions]),
      this.db.query(PARTNERSHIP_QUERIES.deliveries, [...range, deliveryActions, this.clock.now()]),
      this.db.query(PARTNERSHIP_QUERIES.referrals, [...range, REFERRAL_TYPES]),
      this.db.query(PARTNERSHIP_QUERIES.maracResponses, [...range, MARAC_INFORMATION_REQUEST.type]),
    ])) as Row[][];

    const groups = new Map<string, PartnershipMetricsGroup>();
    const group = (row: Row) => {
      const key = `${row.agency}\u0000${row.type}`;
      let found = groups.get(key);
      if (!found) {
        found = { agency: String(row.agency), messageType: String(row.type) };
        groups.set(key, found);
      }
      return found;
    };
    for (const row of submission) group(row).submissionToDelivery = durations(row);
    for (const row of deliveries) {
      const target = group(row);
      if (num(row.delivered) > 0) {
        target.deliveryToAcknowledgement = { delivered: num(row.delivered), ...durations(row) };
      }
      const withDeadline = num(row.with_deadline);
      if (withDeadline > 0) {
        const decided = withDeadline - num(row.pending);
        target.acknowledgedBeforeDeadline = {
          withDeadline,
          pending: num(row.pending),
          onTime: num(row.on_time),
          share: decided > 0 ? num(row.on_time) / decided : null,
        };
      }
      if (withDeadline > 0 || num(row.escalations) > 0) target.escalations = num(row.escalations);
    }
    for (const row of referrals) {
      const target = group(row);
      target.referralToOutcome = {
        referrals: num(row.referrals),
        share: num(row.n) / num(row.referrals),
        ...durations(row),
      };
      if (num(row.scored) > 0) {
        target.referralCompleteness = {
          scored: num(row.scored),
          mean: num(row.completeness_mean),
          median: num(row.completeness_median),
        };
      }
    }
    for (const row of marac) {
      group(row).maracResponses = {
        requests: num(row.requests),
        responded: num(row.responded),
        onTime: num(row.on_time),
        rate: num(row.responded) / num(row.requests),
      };
    }
    // A routed delivery not yet delivered, without a deadline, has nothing to show.
    const sorted = [...groups.values()]
      .filter((found) => Object.keys(found).length > 2)
      .filter((found) => !options.agency || found.agency === options.agency)
      .filter((found) => !options.messageType || found.messageType === options.messageType)
      .sort(
        (a, b) => a.agency.localeCompare(b.agency) || a.messageType.localeCompare(b.messageType),
      );
    return { from, to, groups: sorted };
  }
}
