import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { AuditEvent } from '@app/contracts';

import { InvalidRangeError } from '../chain/audit-errors';
import { ChainAppender } from '../chain/chain-appender.service';
import { ChainRecord } from '../chain/chain-record';
import { ChainVerifier, SeqRange, VerifyResult } from '../chain/chain-verifier.service';
import { Checkpoint, CheckpointService } from '../checkpoints/checkpoint.service';
import {
  SubjectDisclosures,
  SubjectDisclosuresService,
} from '../disclosures/subject-disclosures.service';
import { TrailExport, TrailExportService } from '../export/trail-export.service';
import {
  MetricsOptions,
  PartnershipMetrics,
  PartnershipMetricsService,
} from '../partnership/partnership-metrics.service';
import { OwnAuditEvents } from '../signatures/own-audit-events.service';
import {
  CorrelationTrail,
  TrailPage,
  TrailQueryService,
  TrailSearch,
} from '../trail/trail-query.service';

type ReadTarget = Pick<AuditEvent, 'messageId' | 'subjectRef'> & { detail: string };

/**
 * Every auditor read, recorded in the chain before it is answered: who looked at what (the
 * query, never a result). The trail-read event goes through the same serialised append as the
 * events from Kafka, directly rather than through the topic, so the read is in the chain when
 * the answer leaves. A read that cannot be recorded is not answered.
 */
@Injectable()
export class AuditorReadsService {
  constructor(
    private readonly chain: ChainAppender,
    private readonly trail: TrailQueryService,
    private readonly verifier: ChainVerifier,
    private readonly exporter: TrailExportService,
    private readonly checkpointService: CheckpointService,
    private readonly metrics: PartnershipMetricsService,
    private readonly subjectDisclosures: SubjectDisclosuresService,
    private readonly ownEvents: OwnAuditEvents,
  ) {}

  async messageTrail(actor: string, messageId: string): Promise<ChainRecord[]> {
    await this.recordRead(actor, { messageId, detail: 'message trail' });
    return this.trail.messageTrail(messageId);
  }

  async correlationTrail(actor: string, messageId: string): Promise<CorrelationTrail> {
    await this.recordRead(actor, { messageId, detail: 'correlation trail' });
    return this.trail.correlationTrail(messageId);
  }

  async search(actor: string, filter: TrailSearch): Promise<TrailPage> {
    if (filter.from && filter.to && Date.parse(filter.from) >= Date.parse(filter.to)) {
      throw new InvalidRangeError('to', 'to must be after from');
    }
    const { subjectRef, ...rest } = filter;
    await this.recordRead(actor, { subjectRef, detail: `search ${JSON.stringify(rest)}` });
    return this.trail.search(filter);
  }

  async verify(actor: string, range: SeqRange): Promise<VerifyResult> {
    checkRange(range);
    await this.recordRead(actor, { detail: `verify ${JSON.stringify(range)}` });
    return this.verifier.verify(range);
  }

  async export(actor: string, range: SeqRange): Promise<TrailExport> {
    checkRange(range);
    await this.recordRead(actor, { detail: `export ${JSON.stringify(range)}` });
    return this.exporter.exportRange(range);
  }

  async checkpoints(actor: string, limit: number): Promise<Checkpoint[]> {
    await this.recordRead(actor, { detail: `checkpoints ${JSON.stringify({ limit })}` });
    return this.checkpointService.latest(limit);
  }

  async partnershipMetrics(
    actor: string,
    from: string,
    to: string,
    options: MetricsOptions = {},
  ): Promise<PartnershipMetrics> {
    if (Date.parse(from) >= Date.parse(to))
      throw new InvalidRangeError('to', 'to must be after from');
    const { agency, messageType } = options;
    await this.recordRead(actor, {
      detail: `metrics ${JSON.stringify({ from, to, agency, messageType })}`,
    });
    return this.metrics.compute(from, to, options);
  }

  async disclosures(actor: string, subjectRef: string): Promise<SubjectDisclosures> {
    await this.recordRead(actor, { subjectRef, detail: 'disclosures' });
    return this.subjectDisclosures.of(subjectRef);
  }

  private async recordRead(actor: string, target: ReadTarget): Promise<void> {
    const { event, jws } = await this.ownEvents.sign({
      eventId: randomUUID(),
      action: 'trail-read',
      actor: actor.slice(0, 100),
      occurredAt: new Date().toISOString(),
      ...(target.messageId ? { messageId: target.messageId } : {}),
      ...(target.subjectRef ? { subjectRef: target.subjectRef } : {}),
      detail: target.detail.slice(0, 1000),
    });
    await this.chain.append(event, jws);
  }
}

function checkRange(range: SeqRange): void {
  if (range.fromSeq !== undefined && range.toSeq !== undefined && range.fromSeq > range.toSeq) {
    throw new InvalidRangeError('fromSeq', 'fromSeq must not exceed toSeq');
  }
}
