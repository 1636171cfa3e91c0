import { assessReferral, ReferralQuality } from '@app/node';

import { areaDateTime } from '../presentation/area-time';
import { FormPost, text } from '../presentation/form-values';

/** Every field of the referral form, by its form name, in the page's order. */
export const REFERRAL_FORM_FIELDS = [
  'child-name',
  'child-dateOfBirth',
  'child-gender',
  'child-address',
  'child-schoolOrSetting',
  'family-name',
  'family-relationship',
  'concerns',
  'actionsTaken',
  'voiceOfChild',
  'riskLevel',
  'referrerContact-name',
  'referrerContact-role',
  'referrerContact-phone',
  'consent-position',
  'consent-by',
  'consent-at',
  'lawfulBasis',
  'safeguardingJustification',
  'familyInformed',
] as const;

/** The referral's fields (the node's paths) as the form names them and asks for them. */
const FIELD_WORDS: Record<string, { field: string; missing: string; name: string }> = {
  'child.name': {
    field: 'child-name',
    missing: 'Enter the child’s full name',
    name: 'Child’s full name',
  },
  'child.dateOfBirth': {
    field: 'child-dateOfBirth',
    missing: 'Enter the child’s date of birth',
    name: 'Date of birth',
  },
  concerns: {
    field: 'concerns',
    missing: 'Enter what worries you about the child',
    name: 'Concerns',
  },
  riskLevel: { field: 'riskLevel', missing: 'Select the level of risk', name: 'Level of risk' },
  'consent.position': {
    field: 'consent-position',
    missing: 'Select where consent stands',
    name: 'Consent',
  },
  lawfulBasis: {
    field: 'lawfulBasis',
    missing: 'Select the lawful basis for sharing',
    name: 'Lawful basis',
  },
  familyInformed: {
    field: 'familyInformed',
    missing: 'Select whether the family was told about the referral',
    name: 'Family told',
  },
  'child.gender': { field: 'child-gender', missing: '', name: 'Gender' },
  'child.address': { field: 'child-address', missing: '', name: 'Home address' },
  'child.schoolOrSetting': {
    field: 'child-schoolOrSetting',
    missing: '',
    name: 'School or setting',
  },
  family: { field: 'family-name', missing: '', name: 'A parent or carer' },
  actionsTaken: { field: 'actionsTaken', missing: '', name: 'What you have done so far' },
  voiceOfChild: { field: 'voiceOfChild', missing: '', name: 'What the child says' },
  referrerContact: { field: 'referrerContact-name', missing: '', name: 'Your contact details' },
};

/** The form field of a node's path ("child.name" → "child-name"). */
export function formFieldOf(path: string): string {
  return FIELD_WORDS[path]?.field ?? path.replace(/\./g, '-');
}

/** What the form shows of a referral's quality: the score and what is still missing, in words. */
export interface ReferralFormQuality {
  completeness: number;
  missingRequired: { field: string; text: string }[];
  missingRecommended: { field: string; text: string }[];
}

export function qualityInWords(quality: ReferralQuality): ReferralFormQuality {
  const named = (path: string) => ({
    field: formFieldOf(path),
    text: FIELD_WORDS[path]?.name ?? path,
  });
  return {
    completeness: quality.completeness,
    missingRequired: quality.missingRequired.map(named),
    missingRecommended: quality.missingRecommended.map(named),
  };
}

/** The message each missing required field gets in the error summary. */
export function missingMessage(path: string): string {
  return FIELD_WORDS[path]?.missing || `Enter ${FIELD_WORDS[path]?.name ?? path}`;
}

/** A typed date (day, month, year) as YYYY-MM-DD; '' when empty; null when not a real date. */
function calendarDate(form: FormPost, field: string): string | null {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => text(form, `${field}-${part}`));
  if (!day && !month && !year) return '';
  const at = areaDateTime(day, month, year, '12:00');
  return at ? at.toISOString().slice(0, 10) : null;
}

/**
 * The referral body the node takes, from the form: empty answers left out (so the node's
 * quality check sees them as missing), dates as the contract writes them. Also the dates that
 * were typed but are not real dates, by form field.
 */
export function referralFromForm(
  form: FormPost,
  now: Date,
): { body: Record<string, unknown>; badDates: Record<string, string> } {
  const badDates: Record<string, string> = {};
  const compact = (value: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== '' && v !== undefined));

  const dateOfBirth = calendarDate(form, 'child-dateOfBirth');
  if (dateOfBirth === null || (dateOfBirth && Date.parse(dateOfBirth) > now.getTime())) {
    badDates['child-dateOfBirth'] = 'Date of birth must be a real date in the past';
  }
  const consentDate = calendarDate(form, 'consent-at');
  if (consentDate === null || (consentDate && Date.parse(consentDate) > now.getTime())) {
    badDates['consent-at'] =
      'The date of the consent decision must be a real date, today or before';
  }
  const child = compact({
    name: text(form, 'child-name'),
    dateOfBirth: dateOfBirth ?? undefined,
    gender: text(form, 'child-gender'),
    address: text(form, 'child-address'),
    schoolOrSetting: text(form, 'child-schoolOrSetting'),
  });
  const member = compact({
    name: text(form, 'family-name'),
    relationship: text(form, 'family-relationship'),
  });
  const contact = compact({
    name: text(form, 'referrerContact-name'),
    role: text(form, 'referrerContact-role'),
    phone: text(form, 'referrerContact-phone'),
  });
  const consent = compact({
    position: text(form, 'consent-position'),
    by: text(form, 'consent-by'),
    // The start of the day it was decided: never a time later than now.
    at: consentDate ? `${consentDate}T00:00:00Z` : undefined,
  });
  const informed = text(form, 'familyInformed');
  const body = compact({
    child: Object.keys(child).length ? child : undefined,
    family: Object.keys(member).length ? [member] : undefined,
    concerns: text(form, 'concerns'),
    actionsTaken: text(form, 'actionsTaken'),
    voiceOfChild: text(form, 'voiceOfChild'),
    referrerContact: Object.keys(contact).length ? contact : undefined,
    riskLevel: text(form, 'riskLevel'),
    consent: Object.keys(consent).length ? consent : undefined,
    lawfulBasis: text(form, 'lawfulBasis'),
    safeguardingJustification: text(form, 'safeguardingJustification'),
    familyInformed: informed === 'yes' ? true : informed === 'no' ? false : undefined,
  });
  return { body, badDates };
}

/** The quality of what the form holds so far (the node's own assessment). */
export function formQuality(form: FormPost, now: Date): ReferralFormQuality {
  return qualityInWords(assessReferral(referralFromForm(form, now).body));
}
