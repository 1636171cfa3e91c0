import { MailboxKind } from '@app/registry';

/**
 * What each kind of mailbox is sent, as the hub's route use cases address them (and the sharing
 * policy then allows or refuses per message): for the administrator's registry page.
 */
export const MAILBOX_RECEIVES: Record<MailboxKind, string> = {
  'designated-safeguarding-lead':
    'Domestic abuse notifications (Operation Encompass) and missing episodes about its pupils, the outcomes of its referrals, MARAC information requests, actions and escalations, withdrawals of consent',
  'local-authority-education':
    'Domestic abuse notifications and missing episodes about children educated at home or with no school given, withdrawals of consent',
  mash: 'Referrals, domestic abuse notifications, missing episodes, withdrawals of consent',
  'health-visiting':
    'Domestic abuse notifications about children under school age (health set), withdrawals of consent',
  'school-nursing':
    'Domestic abuse notifications (health set) and missing episodes of medium risk or higher about school-age children, outcomes of its referrals, withdrawals of consent',
  'gp-practice': 'Outcomes of its referrals, MARAC information requests and actions',
  'hospital-safeguarding': 'Outcomes of its referrals, MARAC information requests and actions',
  'marac-coordinator':
    'MARAC referrals, information responses and action updates from member agencies',
  'police-safeguarding':
    'Return home interview outcomes, referral outcomes, MARAC information requests, actions and escalations',
  escalation: 'Escalations: its agency’s deliveries not acknowledged or answered by their deadline',
  other: 'Only what a route addresses to it by name',
};
