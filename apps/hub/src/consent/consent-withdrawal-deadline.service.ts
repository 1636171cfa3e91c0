import { Injectable } from '@nestjs/common';
import { addWorkingDays } from '@app/calendar';

import { HubEnv } from '../config/hub.env';
import { ReferralCalendar } from '../referrals/referral-calendar.service';

/**
 * When a mailbox must acknowledge a consent withdrawal: CONSENT_WITHDRAWAL_ACK_WORKING_DAYS
 * (default 1) working days after the hub routes it, on the area's working-day calendar (the one
 * referrals use: weekdays in DEADLINE_TIME_ZONE minus the configured bank holidays).
 */
@Injectable()
export class ConsentWithdrawalDeadline {
  constructor(
    private readonly calendar: ReferralCalendar,
    private readonly env: HubEnv,
  ) {}

  acknowledgeBy(at: Date): Date {
    return addWorkingDays(at, this.env.CONSENT_WITHDRAWAL_ACK_WORKING_DAYS, this.calendar.calendar);
  }
}
