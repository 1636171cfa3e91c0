import path from 'node:path';

import { CONSENT_WITHDRAWN } from '@app/contracts';
import { AgencyKinds, evaluatePolicy, loadSharingPolicy } from '@app/policy';

import { HubEnv } from '../config/hub.env';
import { sharedUnder, sharingRequest } from '../policy/sharing-request';
import { ReferralCalendar } from '../referrals/referral-calendar.service';
import { ConsentWithdrawalDeadline } from './consent-withdrawal-deadline.service';
import { WITHDRAWAL_STATEMENT } from './route-consent-withdrawal.usecase';

const policy = loadSharingPolicy(
  path.join(__dirname, '..', '..', '..', '..', 'deploy', 'policy', 'sharing-policy.json'),
);

describe('routing a consent withdrawal', () => {
  const pairs = AgencyKinds.flatMap((sender) =>
    AgencyKinds.map((recipient) => [sender, recipient]),
  );

  it.each(pairs)(
    'travels from %s to %s, whole, by consent-withdrawal-always-travels',
    (from, to) => {
      const decision = evaluatePolicy(
        policy,
        sharingRequest(CONSENT_WITHDRAWN.type, WITHDRAWAL_STATEMENT, from, to),
      );
      expect(decision).toMatchObject({
        effect: 'allow',
        ruleId: 'consent-withdrawal-always-travels',
      });
      expect(decision.effect === 'allow' && decision.fields).toBeUndefined();
    },
  );

  it('is not itself recorded as shared under consent, so no later withdrawal re-targets it', () => {
    expect(sharedUnder(WITHDRAWAL_STATEMENT)).toBe('justification');
  });

  it('is due the next working day by default, skipping weekends and bank holidays', () => {
    const deadline = (days: number) => {
      const env = Object.assign(new HubEnv(), {
        DEADLINE_TIME_ZONE: 'Europe/London',
        REFERRAL_WORKING_DAY_START: '09:00',
        REFERRAL_BANK_HOLIDAYS_FILE: '',
        REFERRAL_BANK_HOLIDAYS: '2031-03-10',
        CONSENT_WITHDRAWAL_ACK_WORKING_DAYS: days,
      });
      return new ConsentWithdrawalDeadline(new ReferralCalendar(env), env);
    };
    // Friday 14:00 → Tuesday 14:00 (Monday is a bank holiday).
    expect(deadline(1).acknowledgeBy(new Date('2031-03-07T14:00:00Z')).toISOString()).toBe(
      '2031-03-11T14:00:00.000Z',
    );
    expect(deadline(2).acknowledgeBy(new Date('2031-03-07T14:00:00Z')).toISOString()).toBe(
      '2031-03-12T14:00:00.000Z',
    );
  });
});
