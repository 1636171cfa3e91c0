/**
 * What a referral must have (refused without it, naming each missing field) and what a good
 * referral has (each one filled in raises its completeness score). The inspection found referral
 * information "highly variable and frequently lacking in essential information": the required
 * list stops the worst, the score measures the rest.
 */
export const REFERRAL_REQUIRED_FIELDS = [
  'child.name',
  'child.dateOfBirth',
  'concerns',
  'riskLevel',
  'consent.position',
  'lawfulBasis',
  'familyInformed',
] as const;

export const REFERRAL_RECOMMENDED_FIELDS = [
  'child.gender',
  'child.address',
  'child.schoolOrSetting',
  'family',
  'actionsTaken',
  'voiceOfChild',
  'referrerContact',
] as const;

export interface ReferralQuality {
  missingRequired: string[];
  missingRecommended: string[];
  /** Recommended fields present, as a whole percentage. */
  completeness: number;
}

function valueAt(body: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
      body,
    );
}

function present(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Pure: which required and recommended fields are missing, and the completeness score. */
export function assessReferral(body: unknown): ReferralQuality {
  const missingRequired = REFERRAL_REQUIRED_FIELDS.filter((path) => !present(valueAt(body, path)));
  const missingRecommended = REFERRAL_RECOMMENDED_FIELDS.filter(
    (path) => !present(valueAt(body, path)),
  );
  const filled = REFERRAL_RECOMMENDED_FIELDS.length - missingRecommended.length;
  return {
    missingRequired: [...missingRequired],
    missingRecommended: [...missingRecommended],
    completeness: Math.round((filled / REFERRAL_RECOMMENDED_FIELDS.length) * 100),
  };
}
