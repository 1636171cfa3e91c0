import { Inject, Injectable } from '@nestjs/common';
import {
  CONSENT_WITHDRAWN,
  DOMESTIC_ABUSE_NOTIFICATION,
  MARAC_SUBMISSION_TYPES,
  MISSING_EPISODE,
  REFERRAL,
  REFERRAL_OUTCOME,
} from '@app/contracts';
import { Clock, SERVICE_ENV } from '@app/platform';

import { ConsoleEnv } from '../config/console.env';
import { AreaDirectory } from '../node-api/area-directory.service';
import { NodeApiClient } from '../node-api/node-api.client';
import { PageNotFoundError } from '../pages/page-errors';
import { messageTypeLabel } from '../presentation/message-labels';
import { ActiveSession } from '../session/console-sessions.service';
import { figureCsv } from './board-csv';
import { BoardFigure, boardFigures, FIGURE_IDS, FigureId } from './board-figures';
import { BoardPeriod, boardPeriod, BoardQuery } from './board-period';
import { PartnershipMetricsJson } from './partnership-metrics.json';
import { barChartSvg } from './svg-chart';

/** The submission types the metrics group by, in the filter's order. */
const MEASURED_TYPES = [
  DOMESTIC_ABUSE_NOTIFICATION,
  MISSING_EPISODE,
  REFERRAL,
  REFERRAL_OUTCOME,
  CONSENT_WITHDRAWN,
  ...MARAC_SUBMISSION_TYPES,
].map((definition) => definition.type);

export interface BoardPage {
  period: BoardPeriod;
  agencies: { value: string; text: string; selected: boolean }[];
  messageTypes: { value: string; text: string; selected: boolean }[];
  /** Each figure with its chart as SVG (server-rendered) and its CSV link. */
  figures: (BoardFigure & { svg: string | null; csvHref: string })[];
}

/**
 * The partnership board: the audit service's partnership metrics over a period, per agency and
 * message type, read as the signed-in person (the audit API lets auditors and admins only), as
 * charts drawn on the server with their tables and CSV downloads.
 */
@Injectable()
export class PartnershipBoard {
  constructor(
    @Inject(SERVICE_ENV) private readonly env: ConsoleEnv,
    private readonly area: AreaDirectory,
    private readonly api: NodeApiClient,
    private readonly clock: Clock,
  ) {}

  async page(session: ActiveSession, query: BoardQuery): Promise<BoardPage> {
    const period = this.period(query);
    const figures = period.range ? await this.figures(session, period) : [];
    const search = this.search(period);
    return {
      period,
      agencies: [
        { value: '', text: 'All agencies', selected: !period.values.agency },
        ...this.area.agencyList().map((agency) => ({
          value: agency.id,
          text: agency.name,
          selected: agency.id === period.values.agency,
        })),
      ],
      messageTypes: [
        { value: '', text: 'All message types', selected: !period.values.messageType },
        ...MEASURED_TYPES.map((type) => ({
          value: type,
          text: messageTypeLabel(type),
          selected: type === period.values.messageType,
        })),
      ],
      figures: figures.map((figure) => ({
        ...figure,
        svg: figure.chart ? barChartSvg(figure.chart) : null,
        csvHref: `/partnership/${figure.id}.csv?${search}`,
      })),
    };
  }

  /** One figure's table as CSV; a period the form would refuse is the 404 page. */
  async csv(
    session: ActiveSession,
    id: string,
    query: BoardQuery,
  ): Promise<{ filename: string; body: string }> {
    const period = this.period(query);
    if (!period.range || !(FIGURE_IDS as readonly string[]).includes(id)) {
      throw new PageNotFoundError();
    }
    const figure = (await this.figures(session, period)).find((found) => found.id === id)!;
    return {
      filename: `${id as FigureId}-${period.values.from}-to-${period.values.to}.csv`,
      body: figureCsv(figure, `Period: ${period.label}`),
    };
  }

  private period(query: BoardQuery): BoardPeriod {
    return boardPeriod(query, this.clock.now(), {
      agencies: new Set(this.area.agencyList().map((agency) => agency.id)),
      messageTypes: new Set(MEASURED_TYPES),
    });
  }

  private async figures(session: ActiveSession, period: BoardPeriod): Promise<BoardFigure[]> {
    const params = new URLSearchParams({ ...period.range!, distribution: 'true' });
    if (period.values.agency) params.set('agency', period.values.agency);
    if (period.values.messageType) params.set('messageType', period.values.messageType);
    const metrics = await this.api.get<PartnershipMetricsJson>(
      session,
      this.env.CONSOLE_AUDIT_URL,
      `/audit/metrics?${params}`,
    );
    return boardFigures(metrics.groups, {
      agency: (id) => this.area.agencyName(id) ?? (id === '(unknown)' ? 'Agency not known' : id),
      messageType: messageTypeLabel,
    });
  }

  /** The form's values as the query string the CSV links carry. */
  private search(period: BoardPeriod): string {
    const params = new URLSearchParams({ from: period.values.from, to: period.values.to });
    if (period.values.agency) params.set('agency', period.values.agency);
    if (period.values.messageType) params.set('messageType', period.values.messageType);
    return params.toString();
  }
}
