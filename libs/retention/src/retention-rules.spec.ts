import { serviceEnvWithDefaults, validateEnv } from '@app/platform';

import { retentionCutoff, retentionPeriods } from './retention-periods';
import { RETENTION_RULES, RetentionRuleIds, RetentionSettings } from './retention-rules';

/** The settings every service has (each app's env class extends these), as the hub's. */
const ServiceEnv = serviceEnvWithDefaults({
  HTTP_PORT: 3000,
  DATABASE_SCHEMA: 'hub',
  KAFKA_GROUP_ID: 'hub',
  KAFKA_SASL_USERNAME: 'hub',
});

describe('retention rules', () => {
  it('declares each rule once, with a source and its own setting', () => {
    expect(RETENTION_RULES.map((rule) => rule.id).sort()).toEqual([...RetentionRuleIds].sort());
    expect(new Set(RETENTION_RULES.map((rule) => rule.setting)).size).toBe(RETENTION_RULES.length);
    for (const rule of RETENTION_RULES) {
      expect(rule.source.length).toBeGreaterThan(20);
      expect(rule.defaultDays).toBeGreaterThan(0);
    }
  });

  it("takes each default from the services' validated settings, which document the same value", () => {
    const env = validateEnv(ServiceEnv, {}) as unknown as Record<string, number>;
    for (const setting of RetentionSettings) {
      const rule = RETENTION_RULES.find((candidate) => candidate.setting === setting)!;
      expect([setting, env[setting]]).toEqual([setting, rule.defaultDays]);
    }
    expect(retentionPeriods(env)['inbox-acknowledged']).toBe(30);
    expect(retentionPeriods(env)['marac-research-case-closed']).toBe(365);
  });

  it('overrides a period from the environment and refuses a period that is not a whole number of days', () => {
    const env = validateEnv(ServiceEnv, { RETENTION_INBOX_DAYS: '90' });
    expect(retentionPeriods(env)['inbox-acknowledged']).toBe(90);
    expect(() => validateEnv(ServiceEnv, { RETENTION_INBOX_DAYS: '0' })).toThrow(
      /RETENTION_INBOX_DAYS/,
    );
    expect(() => validateEnv(ServiceEnv, { RETENTION_MARAC_RESEARCH_DAYS: 'a year' })).toThrow(
      /RETENTION_MARAC_RESEARCH_DAYS/,
    );
  });

  it('counts the period back from now in whole days', () => {
    expect(retentionCutoff(new Date('2026-03-31T12:00:00.000Z'), 30).toISOString()).toBe(
      '2026-03-01T12:00:00.000Z',
    );
  });
});
