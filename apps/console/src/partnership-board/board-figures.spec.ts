import { figureCsv } from './board-csv';
import { boardFigures, FIGURE_IDS } from './board-figures';
import { MetricsGroupJson } from './partnership-metrics.json';

const bands = (...counts: number[]) =>
  [10_000, 60_000, 600_000, 3_600_000, 14_400_000, 86_400_000, 259_200_000, null].map(
    (underMs, index) => ({ underMs, count: counts[index] ?? 0 }),
  );

const names = {
  agency: (id: string) =>
    ({ 'northshire-police': 'Northshire Police', 'northshire-education': 'Education' })[id] ?? id,
  messageType: (type: string) => (type.endsWith('referral') ? 'Referral' : 'Incident'),
};

const groups: MetricsGroupJson[] = [
  {
    agency: 'northshire-education',
    messageType: 'uk.safeguarding.exchange.domestic-abuse-notification',
    deliveryToAcknowledgement: {
      delivered: 4,
      count: 2,
      p50Ms: 1_790_000,
      p90Ms: 7_120_000,
      distribution: bands(0, 0, 0, 1, 1),
    },
    acknowledgedBeforeDeadline: { withDeadline: 4, pending: 1, onTime: 1, share: 1 / 3 },
    escalations: 2,
  },
  {
    agency: 'northshire-police',
    messageType: 'uk.safeguarding.exchange.domestic-abuse-notification',
    submissionToDelivery: { count: 4, p50Ms: 25_000, p90Ms: 37_000, distribution: bands(0, 4) },
  },
  {
    agency: 'northshire-education',
    messageType: 'uk.safeguarding.exchange.referral',
    submissionToDelivery: { count: 3, p50Ms: 5_000, p90Ms: 5_000, distribution: bands(3) },
    referralToOutcome: {
      referrals: 3,
      count: 2,
      share: 2 / 3,
      p50Ms: 6 * 3_600_000,
      p90Ms: 7.6 * 3_600_000,
      distribution: bands(0, 0, 0, 0, 0, 2),
    },
    referralCompleteness: { scored: 3, mean: 70, median: 70 },
  },
];

describe('the partnership board’s figures', () => {
  const figures = boardFigures(groups, names);
  const figure = (id: string) => figures.find((found) => found.id === id)!;

  it('has every figure, in the board’s order', () => {
    expect(figures.map((found) => found.id)).toEqual([...FIGURE_IDS]);
  });

  it('adds the groups’ distributions band by band, the chart drawing the table’s numbers', () => {
    const delivery = figure('delivery-time');
    expect(delivery.rows.slice(0, 3)).toEqual([
      ['Under 10 seconds', '3'],
      ['10 seconds to 1 minute', '4'],
      ['1 to 10 minutes', '0'],
    ]);
    expect(delivery.chart?.series[0].values.slice(0, 3)).toEqual([3, 4, 0]);
    expect(delivery.chart?.categories[7]).toBe('3 days+');
  });

  it('names agencies and types, never their ids, and gives medians in the figure’s unit', () => {
    expect(figure('acknowledgement-time-by-agency').rows).toEqual([
      ['Education', 'Incident', '2', '29.8', '118.7'],
    ]);
    expect(figure('acknowledgement-time-by-agency').chart?.categories).toEqual([
      'Education – Incident',
    ]);
    expect(figure('referral-outcomes').rows).toEqual([
      ['Education', '3', '2', '66.7', '6.0', '7.6'],
    ]);
    expect(figure('acknowledged-on-time').rows).toEqual([
      ['Education', 'Incident', '4', '1', '1', '33.3'],
    ]);
    expect(figure('acknowledged-on-time').chart).toMatchObject({
      series: [{ values: [33.3] }],
      max: 100,
    });
    expect(figure('escalations').rows).toEqual([['Education', 'Incident', '2']]);
  });

  it('has no chart and no rows when the period has nothing to measure', () => {
    const empty = boardFigures([], names);
    for (const found of empty)
      expect({ id: found.id, rows: found.rows, chart: found.chart }).toEqual({
        id: found.id,
        rows: [],
        chart: null,
      });
  });

  it('downloads as CSV with the table’s own cells, quoted where needed and no formula run', () => {
    const csv = figureCsv(figure('referral-outcomes'), 'Period: 1 to 30 November 2026');
    expect(csv).toBe(
      'Referrals with outcome feedback\r\n' +
        'Period: 1 to 30 November 2026\r\n' +
        'Referring agency,Referrals,Outcome fed back,Share fed back (%),Median (hours),90th percentile (hours)\r\n' +
        'Education,3,2,66.7,6.0,7.6\r\n',
    );
    const tricky = figureCsv(
      { ...figure('escalations'), rows: [['=HYPERLINK("x")', 'A, B', '-3']] },
      'p',
    );
    expect(tricky.split('\r\n')[3]).toBe(`"'=HYPERLINK(""x"")","A, B",-3`);
  });
});
