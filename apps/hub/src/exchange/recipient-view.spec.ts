import path from 'node:path';

import { DomesticAbuseNotification } from '@app/contracts';
import { evaluatePolicy, loadSharingPolicy } from '@app/policy';

import { encompassView } from './recipient-view';

const policy = loadSharingPolicy(
  path.join(__dirname, '..', '..', '..', '..', 'deploy', 'policy', 'sharing-policy.json'),
);

describe("encompassView with the policy file's school rule", () => {
  const decision = evaluatePolicy(policy, {
    messageType: 'domestic-abuse-notification',
    senderKind: 'police',
    recipientKind: 'education',
    consent: 'not-sought',
    lawfulBasis: 'dpa2018-sch8-para4',
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    risk: 'high',
  });
  const fields = decision.effect === 'allow' ? decision.fields : [];

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
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    familyInformed: false,
  };

  it('is decided by the Operation Encompass rule', () => {
    expect(decision).toMatchObject({ effect: 'allow', ruleId: 'encompass-school-set' });
  });

  it('keeps the Operation Encompass set and drops the investigation and the basis', () => {
    const view = encompassView(
      notification,
      fields,
      'school-990101-dsl',
      new Date('2026-01-15T08:30:00Z'),
    );
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
    for (const withheld of [
      'actionsTaken',
      'riskLevel',
      'consent',
      'lawfulBasis',
      'schoolUrn',
      'familyInformed',
      'safeguardingJustification',
    ]) {
      expect(text).not.toContain(withheld);
    }
  });

  it('omits the voice of the child when none was recorded', () => {
    const withoutVoice = {
      ...notification,
      child: { ...notification.child, voiceOfChild: undefined },
    };
    delete withoutVoice.child.voiceOfChild;
    const view = encompassView(withoutVoice, fields, 'm', new Date('2026-01-15T08:30:00Z'));
    expect(view.child).not.toHaveProperty('voiceOfChild');
  });
});
