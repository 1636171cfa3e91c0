import { AREA_TIME_ZONE } from '../presentation/area-time';
import { FormPost, text } from '../presentation/form-values';

export interface MaracActionForm {
  owner: string;
  description: string;
  dueDay: string;
  dueMonth: string;
  dueYear: string;
}

/** The page's order of fields, which the error summary follows. */
export const ACTION_FIELDS = ['owner', 'description', 'dueDate'] as const;

/** Where each field's error links: the date group's first box. */
export const ACTION_ANCHORS: Record<string, string> = { dueDate: 'dueDate-day' };

/** The member mailboxes of the case an action may go to (those its research request went to). */
export interface ActionOwner {
  agencyId: string;
  mailboxId: string;
}

export function readActionForm(form: FormPost): MaracActionForm {
  return {
    owner: text(form, 'owner'),
    description: text(form, 'description'),
    dueDay: text(form, 'dueDate-day'),
    dueMonth: text(form, 'dueDate-month'),
    dueYear: text(form, 'dueDate-year'),
  };
}

/** Today's date on the area's wall calendar, YYYY-MM-DD. */
export function areaToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: AREA_TIME_ZONE }).format(now);
}

/** A real calendar date from the three boxes, YYYY-MM-DD; null when it is not one. */
function calendarDate(day: string, month: string, year: string): string | null {
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return null;
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return null;
  }
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Checks an action the coordinator records, naming each problem in words; the body is the
 * MARAC API's `POST /cases/:caseId/actions` (one action), which checks it again.
 */
export function checkActionForm(
  values: MaracActionForm,
  owners: ActionOwner[],
  now: Date,
): { errors: Record<string, string>; body: Record<string, unknown> } {
  const errors: Record<string, string> = {};
  const owner = owners.find((candidate) => candidate.mailboxId === values.owner);
  if (!owner) errors.owner = 'Select the agency that owns the action';
  if (!values.description) errors.description = 'Enter what the agency is to do';
  else if (values.description.length > 5_000) {
    errors.description = 'The action must be 5,000 characters or fewer';
  }
  const dueDate = calendarDate(values.dueDay, values.dueMonth, values.dueYear);
  if (!values.dueDay && !values.dueMonth && !values.dueYear) {
    errors.dueDate = 'Enter the date the action is due';
  } else if (!dueDate) errors.dueDate = 'The due date must be a real date, like 19 3 2027';
  else if (dueDate < areaToday(now)) errors.dueDate = 'The due date must be today or later';
  return {
    errors,
    body: {
      actions: [
        {
          ownerAgencyId: owner?.agencyId,
          ownerMailboxId: owner?.mailboxId,
          description: values.description,
          dueDate,
        },
      ],
    },
  };
}
