import { RETENTION_RULES, RetentionRuleId, RetentionSetting } from './retention-rules';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The settings a service's validated env holds (BaseServiceEnv declares each with its bounds). */
export type RetentionPeriodSettings = Record<RetentionSetting, number>;

/** Each rule's period in days: the env's value, or the rule's default when the env has none. */
export function retentionPeriods(
  env: Partial<RetentionPeriodSettings>,
): Record<RetentionRuleId, number> {
  return Object.fromEntries(
    RETENTION_RULES.map((rule) => [rule.id, env[rule.setting] ?? rule.defaultDays]),
  ) as Record<RetentionRuleId, number>;
}

/** The instant before which a rule's period has run out, seen from `now`. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
