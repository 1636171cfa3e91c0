/** A form's errors as GOV.UK Frontend shows them: a summary linking to each field, and each field's message. */
export interface FormErrors {
  summary: { text: string; href: string }[];
  /** Message per field name, shown beside the field. */
  fields: Record<string, string>;
}

export const NO_ERRORS: FormErrors = { summary: [], fields: {} };

/** The errors of one form: fieldOrder is the order the page shows its fields (the summary follows it). */
export function formErrors(
  found: Record<string, string>,
  fieldOrder: readonly string[],
  idOf: (field: string) => string = (field) => field.replace(/\./g, '-'),
): FormErrors {
  const fields = Object.keys(found).sort(
    (a, b) => rank(fieldOrder, a) - rank(fieldOrder, b) || a.localeCompare(b),
  );
  return {
    summary: fields.map((field) => ({ text: found[field], href: `#${idOf(field)}` })),
    fields: Object.fromEntries(fields.map((field) => [field, found[field]])),
  };
}

function rank(order: readonly string[], field: string): number {
  const index = order.indexOf(field);
  return index === -1 ? order.length : index;
}

/**
 * The fields an API's 400 names ("conductedBy.providerName: should not be empty", "nextSteps
 * must be a string"), each under its dotted path; the API's own words are kept for fields the
 * form has no message of its own for. Values are never in these messages.
 */
export function apiFieldErrors(
  body: Record<string, unknown>,
  ownMessages: Record<string, string>,
): Record<string, string> {
  const raw = body.message;
  const messages = (Array.isArray(raw) ? raw : [raw]).filter(
    (message): message is string => typeof message === 'string',
  );
  const found: Record<string, string> = {};
  for (const message of messages) {
    const field = /^([A-Za-z0-9_.]+)(?::| )/.exec(message)?.[1] ?? '';
    if (!field || found[field]) continue;
    found[field] = ownMessages[field] ?? sentence(message.replace(/^[A-Za-z0-9_.]+: /, ''));
  }
  return found;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
