import { formatDate, formatDateTime } from './area-time';
import { fieldLabel } from './message-labels';

/** One row of a notification's view as a summary list shows it. */
export interface ViewField {
  label: string;
  /** Text for a single value; `rows` for a nested record or a list of records. */
  text?: string;
  rows?: ViewField[][];
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every field of the view the hub signed for this mailbox, in its order, and nothing else: the
 * page shows exactly what this recipient was sent (no risk level where the view has none).
 */
export function viewFields(view: Record<string, unknown>): ViewField[] {
  return Object.entries(view)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => field(key, value));
}

function field(key: string, value: unknown): ViewField {
  const label = fieldLabel(key);
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'object' && item !== null)) {
      return { label, rows: value.map((item) => viewFields(item as Record<string, unknown>)) };
    }
    return { label, text: value.map((item) => scalar(item)).join(', ') };
  }
  if (typeof value === 'object' && value !== null) {
    return { label, rows: [viewFields(value as Record<string, unknown>)] };
  }
  return { label, text: scalar(value) };
}

/** One value as the page writes it: Yes/No, dates as people write them. */
export function scalar(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' && DATE.test(value)) return formatDate(`${value}T12:00:00Z`);
  if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) {
    return formatDateTime(value);
  }
  return String(value);
}
