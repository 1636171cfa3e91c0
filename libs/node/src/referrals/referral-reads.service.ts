import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AtRestSealer } from '../keys/at-rest-sealer.service';

export const ReferralStatuses = [
  'submitted',
  'delivered',
  'acknowledged',
  'outcome-received',
  'overdue',
  'rejected',
] as const;
export type ReferralStatus = (typeof ReferralStatuses)[number];

export interface ReferralSummary {
  referralId: string;
  subjectRef: string;
  status: ReferralStatus;
  completeness: number;
  missingRecommended: string[];
  submittedAt: string;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  overdueAt: string | null;
  rejection: { code: string; reason: string; at: string } | null;
  outcome: {
    outcome: string;
    /**
     * Null when it is sealed to a key this node no longer holds (a lost or deleted key), or once
     * purged under a retention rule (`purgedAt` says when).
     */
    nextSteps: string | null;
    decidedAt: string;
    receivedAt: string;
    /** When the next steps were purged (libs/retention); null while they are kept. */
    purgedAt: string | null;
    purgeRule: string | null;
  } | null;
}

interface ReferralRow {
  referral_id: string;
  subject_ref: string;
  completeness: number;
  missing_recommended: string;
  submitted_at: Date;
  delivered_at: Date | null;
  acknowledged_at: Date | null;
  overdue_at: Date | null;
  rejected_at: Date | null;
  rejection_code: string | null;
  rejection_reason: string | null;
  outcome: string | null;
  next_steps: string | null;
  decided_at: Date | null;
  outcome_received_at: Date | null;
  purged_at: Date | null;
  purge_rule: string | null;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** The status a referrer sees: the furthest the referral got, an outcome closing it. */
export function referralStatus(
  row: Pick<
    ReferralRow,
    'rejected_at' | 'outcome' | 'overdue_at' | 'acknowledged_at' | 'delivered_at'
  >,
): ReferralStatus {
  if (row.rejected_at) return 'rejected';
  if (row.outcome) return 'outcome-received';
  if (row.overdue_at) return 'overdue';
  if (row.acknowledged_at) return 'acknowledged';
  if (row.delivered_at) return 'delivered';
  return 'submitted';
}

/** A mailbox's referrals; every query names the mailbox, so none sees another's. */
@Injectable()
export class ReferralReads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: AtRestSealer,
  ) {}

  async list(mailboxId: string): Promise<ReferralSummary[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM referral WHERE mailbox_id = $1 ORDER BY submitted_at DESC LIMIT 500`,
      [mailboxId],
    )) as ReferralRow[];
    return Promise.all(
      rows.map(async (row) => ({
        referralId: row.referral_id,
        subjectRef: row.subject_ref,
        status: referralStatus(row),
        completeness: row.completeness,
        missingRecommended: row.missing_recommended.split(',').filter(Boolean),
        submittedAt: iso(row.submitted_at)!,
        deliveredAt: iso(row.delivered_at),
        acknowledgedAt: iso(row.acknowledged_at),
        overdueAt: iso(row.overdue_at),
        rejection: row.rejected_at
          ? {
              code: row.rejection_code ?? '',
              reason: row.rejection_reason ?? '',
              at: iso(row.rejected_at)!,
            }
          : null,
        outcome: row.outcome
          ? {
              outcome: row.outcome,
              nextSteps: row.purged_at
                ? null
                : row.next_steps
                  ? await this.sealer.openInList(row.next_steps)
                  : '',
              decidedAt: iso(row.decided_at)!,
              receivedAt: iso(row.outcome_received_at)!,
              purgedAt: iso(row.purged_at),
              purgeRule: row.purge_rule,
            }
          : null,
      })),
    );
  }
}
