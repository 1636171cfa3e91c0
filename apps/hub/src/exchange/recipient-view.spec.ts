import { DomesticAbuseNotification } from '@app/contracts';

import { encompassView } from './recipient-view';

describe('encompassView', () => {
  const notification: DomesticAbuseNotification = {
    policeReference: 'NP-2026-000123',
    occurredAt: '2026-01-14T21:15:00.000Z',
    location: '12 Example Road, Northtown',
    child: {
      name: 'Alex Example',
      dateOfBirth: '2016-05-04',
      schoolUrn: '990101',
      presence: 'witnessing',
      voiceOfChild: 'Said they hid upstairs',
    },
    riskLevel: 'high',
    circumstances: 'Child witnessed a verbal and physical argument',
    actionsTaken: 'Suspect arrested; investigation ongoing',
    consent: { position: 'not-sought' },
    lawfulBasis: 'dpa2018-sch8-para4',
  };

  it('keeps the Operation Encompass set and drops the investigation and the basis', () => {
    const view = encompassView(notification, 'school-990101-dsl', new Date('2026-01-15T08:30:00Z'));
    expect(view).toEqual({
      recipientMailboxId: 'school-990101-dsl',
      acknowledgeBy: '2026-01-15T08:30:00.000Z',
      policeReference: 'NP-2026-000123',
      occurredAt: '2026-01-14T21:15:00.000Z',
      location: '12 Example Road, Northtown',
      child: {
        name: 'Alex Example',
        dateOfBirth: '2016-05-04',
        presence: 'witnessing',
        voiceOfChild: 'Said they hid upstairs',
      },
      circumstances: 'Child witnessed a verbal and physical argument',
    });
    const text = JSON.stringify(view);
    for (const withheld of ['actionsTaken', 'riskLevel', 'consent', 'lawfulBasis', 'schoolUrn']) {
      expect(text).not.toContain(withheld);
    }
  });

  it('omits the voice of the child when none was recorded', () => {
    const withoutVoice = {
      ...notification,
      child: { ...notification.child, voiceOfChild: undefined },
    };
    delete withoutVoice.child.voiceOfChild;
    const view = encompassView(withoutVoice, 'm', new Date('2026-01-15T08:30:00Z'));
    expect(view.child).not.toHaveProperty('voiceOfChild');
  });
});
