/**
 * How long the exchange keeps each store of personal data, in one table. A rule names the store
 * and the message types it covers (where the law differs by type), the event its period runs
 * from, the default period with the source that sets it, and the setting that overrides it.
 * The exchange is a transit copy: every recipient keeps its own record under its own retention
 * (a school its safeguarding file, social care its case record), so the exchange keeps its copy
 * only as long as the journey needs it, and never purges what nobody has acknowledged yet.
 * docs/data-protection.md prints this table with the reasons.
 */
export interface RetentionRule {
  /** Named in the tombstone and the `purged` audit event (`ruleId`). */
  id: RetentionRuleId;
  /** The table and the columns a purge clears. */
  store: string;
  /** The message types the rule covers; `all` for every type the store holds. */
  messageTypes: 'all' | readonly string[];
  /** The event the period runs from. Nothing is purged before that event has happened. */
  startsAt: string;
  defaultDays: number;
  /** The environment setting that overrides the period, in days. */
  setting: RetentionSetting;
  /** Why the default is what it is. */
  source: string;
}

export const RetentionRuleIds = [
  'inbox-acknowledged',
  'inbox-referral-answered',
  'inbox-node-notice',
  'referral-outcome-received',
  'hub-delivery-closed',
  'marac-research-case-closed',
] as const;
export type RetentionRuleId = (typeof RetentionRuleIds)[number];

export const RetentionSettings = [
  'RETENTION_INBOX_DAYS',
  'RETENTION_INBOX_REFERRAL_DAYS',
  'RETENTION_INBOX_NODE_NOTICE_DAYS',
  'RETENTION_REFERRAL_OUTCOME_DAYS',
  'RETENTION_HUB_DELIVERY_DAYS',
  'RETENTION_MARAC_RESEARCH_DAYS',
] as const;
export type RetentionSetting = (typeof RetentionSettings)[number];

/** The referral view a MASH receives: kept until its outcome has been sent, not only acknowledged. */
export const REFERRAL_VIEW_TYPES = ['uk.safeguarding.exchange.referral-view'] as const;

export const RETENTION_RULES: readonly RetentionRule[] = [
  {
    id: 'inbox-acknowledged',
    store: 'every node: inbox_message.body (the delivered view, JWE to the node)',
    messageTypes: 'all',
    startsAt: 'acknowledged by the mailbox (a superseded report: its latest)',
    defaultDays: 30,
    setting: 'RETENTION_INBOX_DAYS',
    source:
      'NHS MESH deletes a message 30 days after it is sent; the recipient keeps its own record ' +
      '(a school its child protection file, Keeping Children Safe in Education), so the ' +
      "exchange's copy is not needed once acknowledged and past 30 days",
  },
  {
    id: 'inbox-referral-answered',
    store: 'every node: inbox_message.body of a referral view',
    messageTypes: REFERRAL_VIEW_TYPES,
    startsAt: 'acknowledged and its outcome sent to the referrer',
    defaultDays: 30,
    setting: 'RETENTION_INBOX_REFERRAL_DAYS',
    source:
      'Working Together to Safeguard Children: the referrer is told the decision within one ' +
      'working day; the MASH records the referral in its own case record (local authority ' +
      'record retention), so the copy goes 30 days (MESH) after the outcome was sent',
  },
  {
    id: 'inbox-node-notice',
    store: 'every node: inbox_message.body of a message to the node itself (no mailbox)',
    messageTypes: 'all',
    startsAt: 'received (nothing to acknowledge: rejections, refusals, escalations to the node)',
    defaultDays: 30,
    setting: 'RETENTION_INBOX_NODE_NOTICE_DAYS',
    source: 'NHS MESH: 30 days; the sending status the node shows keeps the codes',
  },
  {
    id: 'referral-outcome-received',
    store: "every node: referral.next_steps (the MASH's next steps told to the referrer, sealed)",
    messageTypes: ['uk.safeguarding.exchange.referral-outcome-view'],
    startsAt: 'the outcome received by the referrer',
    defaultDays: 30,
    setting: 'RETENTION_REFERRAL_OUTCOME_DAYS',
    source:
      'NHS MESH: 30 days; the referrer records the decision in its own safeguarding file ' +
      '(Keeping Children Safe in Education), the referral list keeps the outcome code and times',
  },
  {
    id: 'hub-delivery-closed',
    store: 'hub: delivery (subject reference, who acknowledged) and its deadline rows (deleted)',
    messageTypes: 'all',
    startsAt:
      'every deadline of the delivery closed (acknowledged, answered, escalated or superseded)',
    defaultDays: 365,
    setting: 'RETENTION_HUB_DELIVERY_DAYS',
    source:
      'a withdrawal of consent reaches every mailbox that received the subject’s data under ' +
      'that consent (the hub finds them by subject reference); a year after the last deadline ' +
      'closed the audit trail, which keeps every disclosure, answers who received it',
  },
  {
    id: 'marac-research-case-closed',
    store: 'MARAC: research_response.form (each agency’s research answers, sealed)',
    messageTypes: ['uk.safeguarding.exchange.marac-information-response'],
    startsAt:
      'case closed: its meeting held and every action completed (the last completion, or the meeting)',
    defaultDays: 365,
    setting: 'RETENTION_MARAC_RESEARCH_DAYS',
    source:
      'SafeLives MARAC guidance: a repeat referral within 12 months of the last one goes back to ' +
      'the MARAC with its history, so the research is kept 12 months after the case closes; ' +
      'the minutes and actions stay with the agencies that own them',
  },
];

export function retentionRule(id: RetentionRuleId): RetentionRule {
  const rule = RETENTION_RULES.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no retention rule ${id}`);
  return rule;
}
