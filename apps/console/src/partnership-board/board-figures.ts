import { BarChart } from './svg-chart';
import { DurationsJson, MetricsGroupJson } from './partnership-metrics.json';

/**
 * One figure of the partnership board: its chart and the same numbers as a table (for screen
 * readers and for copying) and as a CSV download. The table's cells are the CSV's, so the
 * three never disagree.
 */
export interface BoardFigure {
  id: FigureId;
  title: string;
  /** What is measured and whose performance it is, in a sentence. */
  description: string;
  columns: string[];
  rows: string[][];
  /** Null when the period has nothing to measure for it. */
  chart: BarChart | null;
}

export const FIGURE_IDS = [
  'delivery-time',
  'delivery-time-by-agency',
  'acknowledgement-time',
  'acknowledgement-time-by-agency',
  'acknowledged-on-time',
  'referral-outcomes',
  'referral-outcome-time',
  'marac-responses',
  'referral-completeness',
  'escalations',
] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

/** Names for the agency ids and message types the metrics give. */
export interface FigureNames {
  agency(id: string): string;
  messageType(type: string): string;
}

/** The time bands of the distributions, as the table and the chart's axis say them. */
const BANDS: Record<string, [table: string, axis: string]> = {
  '10000': ['Under 10 seconds', 'Under 10 s'],
  '60000': ['10 seconds to 1 minute', '10 s–1 min'],
  '600000': ['1 to 10 minutes', '1–10 min'],
  '3600000': ['10 minutes to 1 hour', '10 min–1 h'],
  '14400000': ['1 to 4 hours', '1–4 h'],
  '86400000': ['4 hours to 1 day', '4 h–1 day'],
  '259200000': ['1 to 3 days', '1–3 days'],
  null: ['3 days or more', '3 days+'],
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** One decimal place, as the table, the CSV and the chart's labels all show it. */
const decimal = (value: number) => (Math.round(value * 10) / 10).toFixed(1);
const inUnit = (ms: number | null, unit: number) => (ms === null ? '' : decimal(ms / unit));
const percent = (share: number | null) => (share === null ? '' : decimal(share * 100));
const asNumber = (cell: string) => (cell === '' ? 0 : Number(cell));

/** Every figure of the board, from the groups the metrics API answered. */
export function boardFigures(groups: MetricsGroupJson[], names: FigureNames): BoardFigure[] {
  const label = (group: MetricsGroupJson) =>
    `${names.agency(group.agency)} – ${names.messageType(group.messageType)}`;
  const having = <K extends keyof MetricsGroupJson>(key: K) =>
    groups.filter((group) => group[key] !== undefined) as (MetricsGroupJson &
      Required<Pick<MetricsGroupJson, K>>)[];

  const sent = having('submissionToDelivery');
  const acknowledged = having('deliveryToAcknowledgement');
  const deadlines = having('acknowledgedBeforeDeadline');
  const referrals = having('referralToOutcome');
  const marac = having('maracResponses');
  const completeness = having('referralCompleteness');
  const escalated = having('escalations');

  return [
    distributionFigure(
      'delivery-time',
      'Time to deliver',
      'From the sending agency’s submission to the recipient’s node holding it, for every delivery of every submission.',
      'Deliveries',
      sent.map((group) => group.submissionToDelivery),
    ),
    timesFigure({
      id: 'delivery-time-by-agency',
      title: 'Time to deliver, by sending agency',
      description:
        'The median and the 90th percentile of the time to deliver, by the agency that sent and the message type.',
      agencyColumn: 'Sending agency',
      countColumn: 'Deliveries',
      unit: SECOND,
      unitName: 'seconds',
      rows: sent.map((group) => ({
        label: label(group),
        agency: names.agency(group.agency),
        type: names.messageType(group.messageType),
        durations: group.submissionToDelivery,
      })),
    }),
    distributionFigure(
      'acknowledgement-time',
      'Time to acknowledge',
      'From delivery to the recipient’s acknowledgement, for every delivery acknowledged.',
      'Acknowledgements',
      acknowledged.map((group) => group.deliveryToAcknowledgement),
    ),
    timesFigure({
      id: 'acknowledgement-time-by-agency',
      title: 'Time to acknowledge, by recipient agency',
      description:
        'The median and the 90th percentile of the time to acknowledge, by the agency that received and the message type.',
      agencyColumn: 'Recipient agency',
      countColumn: 'Acknowledged',
      unit: MINUTE,
      unitName: 'minutes',
      rows: acknowledged.map((group) => ({
        label: label(group),
        agency: names.agency(group.agency),
        type: names.messageType(group.messageType),
        durations: group.deliveryToAcknowledgement,
      })),
    }),
    tableFigure({
      id: 'acknowledged-on-time',
      title: 'Acknowledged on time',
      description:
        'Of the deliveries with a deadline that has been met or missed, the share acknowledged before it, by the agency that received. Those not yet due are pending.',
      columns: [
        'Recipient agency',
        'Message type',
        'With a deadline',
        'Pending',
        'On time',
        'Share on time (%)',
      ],
      rows: deadlines.map((group) => {
        const figures = group.acknowledgedBeforeDeadline;
        return [
          names.agency(group.agency),
          names.messageType(group.messageType),
          String(figures.withDeadline),
          String(figures.pending),
          String(figures.onTime),
          percent(figures.share),
        ];
      }),
      labels: deadlines.map(label),
      series: [{ name: 'Share on time (%)', column: 5 }],
      unit: 'Per cent',
      max: 100,
    }),
    tableFigure({
      id: 'referral-outcomes',
      title: 'Referrals with outcome feedback',
      description:
        'Of the referrals the exchange accepted, the share whose referrer was told the outcome, and how fast, by the referring agency.',
      columns: [
        'Referring agency',
        'Referrals',
        'Outcome fed back',
        'Share fed back (%)',
        'Median (hours)',
        '90th percentile (hours)',
      ],
      rows: referrals.map((group) => {
        const figures = group.referralToOutcome;
        return [
          names.agency(group.agency),
          String(figures.referrals),
          String(figures.count),
          percent(figures.share),
          inUnit(figures.p50Ms, HOUR),
          inUnit(figures.p90Ms, HOUR),
        ];
      }),
      labels: referrals.map((group) => names.agency(group.agency)),
      series: [{ name: 'Share fed back (%)', column: 3 }],
      unit: 'Per cent',
      max: 100,
    }),
    distributionFigure(
      'referral-outcome-time',
      'Time to outcome feedback',
      'From the exchange accepting a referral to the outcome reaching the referrer.',
      'Referrals',
      referrals.map((group) => group.referralToOutcome),
    ),
    tableFigure({
      id: 'marac-responses',
      title: 'MARAC research responses',
      description:
        'Of the MARAC’s information requests each member agency was sent, the share it answered, and answered before the meeting’s deadline.',
      columns: [
        'Member agency',
        'Requests',
        'Answered',
        'Answered on time',
        'Response rate (%)',
        'On time (%)',
      ],
      rows: marac.map((group) => {
        const figures = group.maracResponses;
        return [
          names.agency(group.agency),
          String(figures.requests),
          String(figures.responded),
          String(figures.onTime),
          percent(figures.rate),
          percent(figures.requests ? figures.onTime / figures.requests : null),
        ];
      }),
      labels: marac.map((group) => names.agency(group.agency)),
      series: [
        { name: 'Response rate (%)', column: 4 },
        { name: 'On time (%)', column: 5 },
      ],
      unit: 'Per cent',
      max: 100,
    }),
    tableFigure({
      id: 'referral-completeness',
      title: 'Referral completeness',
      description:
        'How complete referrals were when sent (0 to 100, the score the exchange gives each referral), by the referring agency.',
      columns: ['Referring agency', 'Referrals scored', 'Mean score', 'Median score'],
      rows: completeness.map((group) => {
        const figures = group.referralCompleteness;
        return [
          names.agency(group.agency),
          String(figures.scored),
          decimal(figures.mean),
          decimal(figures.median),
        ];
      }),
      labels: completeness.map((group) => names.agency(group.agency)),
      series: [
        { name: 'Mean score', column: 2 },
        { name: 'Median score', column: 3 },
      ],
      unit: 'Score',
      max: 100,
    }),
    tableFigure({
      id: 'escalations',
      title: 'Escalations',
      description:
        'Deadlines missed and escalated by the exchange, by the agency that was late and the message type.',
      columns: ['Recipient agency', 'Message type', 'Escalations'],
      rows: escalated.map((group) => [
        names.agency(group.agency),
        names.messageType(group.messageType),
        String(group.escalations),
      ]),
      labels: escalated.map(label),
      series: [{ name: 'Escalations', column: 2 }],
      unit: 'Escalations',
    }),
  ];
}

/** The groups' distributions added together, band by band (fixed bands: the counts add). */
function distributionFigure(
  id: FigureId,
  title: string,
  description: string,
  counted: string,
  figures: DurationsJson[],
): BoardFigure {
  const totals = new Map<string, number>();
  for (const figure of figures) {
    for (const band of figure.distribution ?? []) {
      const key = String(band.underMs);
      totals.set(key, (totals.get(key) ?? 0) + band.count);
    }
  }
  const bands = [...totals.entries()];
  const total = bands.reduce((sum, [, count]) => sum + count, 0);
  const rows = total ? bands.map(([key, count]) => [BANDS[key]?.[0] ?? key, String(count)]) : [];
  return {
    id,
    title,
    description,
    columns: ['Time', counted],
    rows,
    chart: total
      ? {
          title: `${title}: ${counted.toLowerCase()} by time band`,
          categories: bands.map(([key]) => BANDS[key]?.[1] ?? key),
          series: [{ name: counted, values: bands.map(([, count]) => count) }],
          unit: counted,
        }
      : null,
  };
}

interface TimesRow {
  label: string;
  agency: string;
  type: string;
  durations: DurationsJson;
}

function timesFigure(figure: {
  id: FigureId;
  title: string;
  description: string;
  agencyColumn: string;
  countColumn: string;
  unit: number;
  unitName: string;
  rows: TimesRow[];
}): BoardFigure {
  return tableFigure({
    id: figure.id,
    title: figure.title,
    description: figure.description,
    columns: [
      figure.agencyColumn,
      'Message type',
      figure.countColumn,
      `Median (${figure.unitName})`,
      `90th percentile (${figure.unitName})`,
    ],
    rows: figure.rows.map((row) => [
      row.agency,
      row.type,
      String(row.durations.count),
      inUnit(row.durations.p50Ms, figure.unit),
      inUnit(row.durations.p90Ms, figure.unit),
    ]),
    labels: figure.rows.map((row) => row.label),
    series: [
      { name: 'Median', column: 3 },
      { name: '90th percentile', column: 4 },
    ],
    unit: figure.unitName.charAt(0).toUpperCase() + figure.unitName.slice(1),
  });
}

/** A figure whose chart draws some of its table's columns, one bar per row. */
function tableFigure(figure: {
  id: FigureId;
  title: string;
  description: string;
  columns: string[];
  rows: string[][];
  labels: string[];
  series: { name: string; column: number }[];
  unit: string;
  max?: number;
}): BoardFigure {
  return {
    id: figure.id,
    title: figure.title,
    description: figure.description,
    columns: figure.columns,
    rows: figure.rows,
    chart: figure.rows.length
      ? {
          title: figure.title,
          categories: figure.labels,
          series: figure.series.map((series) => ({
            name: series.name,
            values: figure.rows.map((row) => asNumber(row[series.column])),
          })),
          unit: figure.unit,
          horizontal: true,
          max: figure.max,
        }
      : null,
  };
}
