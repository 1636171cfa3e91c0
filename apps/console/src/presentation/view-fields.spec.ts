import { messageTypeLabel } from './message-labels';
import { viewFields } from './view-fields';

describe('a notification as the page shows it', () => {
  it('shows every field the view holds, in words, with dates as people write them', () => {
    const fields = viewFields({
      policeReference: 'NP/2026/1234',
      incidentAt: '2026-12-02T22:15:00Z',
      child: { name: 'Amy Example', dateOfBirth: '2017-03-09' },
      childPresent: true,
    });
    expect(fields).toEqual([
      { label: 'Police reference', text: 'NP/2026/1234' },
      { label: 'Incident at', text: '2 December 2026 at 10:15pm' },
      {
        label: 'Child',
        rows: [
          [
            { label: 'Name', text: 'Amy Example' },
            { label: 'Date of birth', text: '9 March 2017' },
          ],
        ],
      },
      { label: 'Child present', text: 'Yes' },
    ]);
  });

  it('adds nothing the view does not hold', () => {
    const labels = viewFields({ policeReference: 'NP/1' }).map((field) => field.label);
    expect(labels).toEqual(['Police reference']);
  });

  it('names message types the way people do', () => {
    expect(messageTypeLabel('uk.safeguarding.exchange.domestic-abuse-notification-view')).toBe(
      'Domestic abuse notification (Operation Encompass)',
    );
    expect(messageTypeLabel('uk.safeguarding.exchange.test-notice')).toBe('Test notice');
  });
});
