/** A flat HTML form post as the console reads it: strings, or lists for repeated fields. */
export type FormPost = Record<string, unknown>;

/** One field's text, trimmed; '' when absent or not text. */
export function text(form: FormPost, field: string): string {
  const value = form[field];
  return typeof value === 'string' ? value.trim() : '';
}

/** A field that may repeat (checkboxes): every text value it holds. */
export function list(form: FormPost, field: string): string[] {
  const value = form[field];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((item): item is string => typeof item === 'string' && item !== '');
}
