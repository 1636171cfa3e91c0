import { Matches } from 'class-validator';

/**
 * A pseudonymous subject reference: letters, digits and `. _ : -`, no spaces, so a name cannot
 * be typed into it by mistake. MARAC messages never carry names of victims, perpetrators or
 * children.
 */
export const SUBJECT_REF = /^[A-Za-z0-9][A-Za-z0-9._:-]{2,99}$/;

export const IsSubjectRef = () =>
  Matches(SUBJECT_REF, {
    message: '$property must be a pseudonymous reference (3–100 letters, digits, . _ : -)',
  });

/** A registry id of an agency or a mailbox (lower-case slug). */
export const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;

export const IsAgencyId = () =>
  Matches(AGENCY_ID, { message: '$property must be an agency or mailbox id' });

/** A calendar date, YYYY-MM-DD. */
export const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
