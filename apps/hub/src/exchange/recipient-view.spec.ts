import path from 'node:path';

import { DomesticAbuseNotification, EncompassView } from '@app/contracts';
import { evaluatePolicy, loadSharingPolicy } from '@app/policy';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { encompassView } from './recipient-view';

const policy = loadSharingPolicy(
  path.join(__dirname, '..', '..', '..', '..', 'deploy', 'policy', 'sharing-policy.json'),
);

/** The policy file's decision for a police notification to this kind of recipient. */
function decisionFor(recipientKind: 'education' | 'health' | 'social-care') {
  return evaluatePolicy(policy, {
    messageType: 'domestic-abuse-notification',
    senderKind: 'police',
    recipientKind,
    consent: 'not-sought',
    lawfulBasis: 'dpa2018-sch8-para4',
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    risk: 'high',
  });
}

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

/** What the school, health and the MASH views all hold: the Operation Encompass set. */
const encompassSet = {
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
};
const acknowledgeBy = new Date('2026-01-15T08:30:00Z');

/** The view as the receiving node checks it: strictly, an unknown member refused. */
function strictErrors(view: EncompassView): string[] {
  return validateSync(plainToInstance(EncompassView, view), {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  }).map((error) => error.property);
}

describe("encompassView with the policy file's school rule", () => {
  const decision = decisionFor('education');
  const fields = decision.effect === 'allow' ? decision.fields : [];

  it('is decided by the Operation Encompass rule', () => {
    expect(decision).toMatchObject({ effect: 'allow', ruleId: 'encompass-school-set' });
  });

  it('keeps the Operation Encompass set and drops the investigation and the basis', () => {
    const view = encompassView(notification, fields, 'school-990101-dsl', acknowledgeBy);
    expect(view).toEqual({
      recipientMailboxId: 'school-990101-dsl',
      acknowledgeBy: '2026-01-15T08:30:00.000Z',
      ...encompassSet,
    });
    expect(strictErrors(view)).toEqual([]);
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

describe("encompassView with the policy file's health rule", () => {
  const decision = decisionFor('health');

  it('is decided by encompass-health-set', () => {
    expect(decision).toMatchObject({ effect: 'allow', ruleId: 'encompass-health-set' });
  });

  it("keeps the school's set and the risk level, nothing of the investigation or the basis", () => {
    const fields = decision.effect === 'allow' ? decision.fields : [];
    const view = encompassView(notification, fields, 'school-nursing', acknowledgeBy);
    expect(view).toEqual({
      recipientMailboxId: 'school-nursing',
      acknowledgeBy: '2026-01-15T08:30:00.000Z',
      ...encompassSet,
      riskLevel: 'high',
    });
    expect(strictErrors(view)).toEqual([]);
  });
});

describe("encompassView with the policy file's MASH rule", () => {
  const decision = decisionFor('social-care');

  it('is decided by encompass-mash-full, with no field list', () => {
    expect(decision).toMatchObject({ effect: 'allow', ruleId: 'encompass-mash-full' });
    expect(decision.effect === 'allow' && decision.fields).toBeUndefined();
  });

  it('keeps the whole notification, and passes the strict check on arrival', () => {
    const view = encompassView(notification, undefined, 'mash', acknowledgeBy);
    expect(view).toEqual({
      ...notification,
      recipientMailboxId: 'mash',
      acknowledgeBy: '2026-01-15T08:30:00.000Z',
    });
    expect(strictErrors(view)).toEqual([]);
  });

  it('passes for a child educated at home too', () => {
    const { schoolUrn: _urn, ...child } = notification.child;
    const view = encompassView(
      { ...notification, child: { ...child, educatedAtHome: true } },
      undefined,
      'mash',
      acknowledgeBy,
    );
    expect(view.child).toMatchObject({ educatedAtHome: true });
    expect(strictErrors(view)).toEqual([]);
  });
});

describe('the view contract', () => {
  it('refuses a member no rule gives anyone', () => {
    const view = {
      ...encompassView(notification, undefined, 'mash', acknowledgeBy),
      suspectName: 'A Person',
    } as EncompassView;
    expect(strictErrors(view)).toEqual(['suspectName']);
  });
});
