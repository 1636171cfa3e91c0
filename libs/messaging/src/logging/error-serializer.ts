/**
 * The one way an error reaches a log line, on every path (pino's `err`, Nest's exception
 * handler, every `logger.warn(... describeError(error))`): what it is and where it came from,
 * never what it was about. A database error keeps its class, SQLSTATE code, constraint, table
 * and column, and drops its message, query, parameters, detail and stack: PostgreSQL's message
 * and detail quote the offending value (`invalid input syntax for type uuid: "…"`, `Key
 * (police_reference)=(…) already exists`) and the parameters are the request's data. Other
 * errors keep their message (this project's messages name rules and fields, never values) and
 * stack.
 */
export interface SerializedError {
  type: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  message?: string;
  stack?: string;
}

interface ErrorFields {
  name?: unknown;
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  message?: unknown;
  stack?: unknown;
  query?: unknown;
  severity?: unknown;
  driverError?: ErrorFields;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** A TypeORM QueryFailedError, a pg DatabaseError, or anything else carrying a query. */
export function isQueryError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as ErrorFields;
  return (
    fields.name === 'QueryFailedError' ||
    fields.driverError !== undefined ||
    fields.query !== undefined ||
    (typeof fields.severity === 'string' && /^[0-9A-Z]{5}$/.test(String(fields.code)))
  );
}

export function serializeError(error: unknown): SerializedError {
  if (typeof error !== 'object' || error === null) return { type: typeof error };
  const fields = error as ErrorFields;
  const type = text(fields.name) ?? error.constructor?.name ?? 'Error';
  if (isQueryError(error)) {
    const driver = fields.driverError ?? fields;
    return {
      type,
      code: text(driver.code) ?? text(fields.code),
      constraint: text(driver.constraint),
      table: text(driver.table),
      column: text(driver.column),
    };
  }
  return {
    type,
    code:
      typeof fields.code === 'string' || typeof fields.code === 'number'
        ? String(fields.code)
        : undefined,
    message: text(fields.message),
    stack: text(fields.stack),
  };
}

/** The serialized error as one short phrase for a message line (no stack). */
export function describeError(error: unknown): string {
  const { type, code, constraint, table, column, message } = serializeError(error);
  const where = [
    code && `code ${code}`,
    constraint && `constraint ${constraint}`,
    table && `table ${table}`,
    column && `column ${column}`,
  ].filter(Boolean);
  return `${type}${where.length ? ` (${where.join(', ')})` : ''}${message ? `: ${message}` : ''}`;
}
