import { ExchangeErrorCode, findUnstorableText } from '@app/contracts';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

/** A consumed record whose body does not satisfy its contract. Never retried: it cannot improve. */
export class InvalidRecordError extends Error {
  constructor(
    readonly fields: string[],
    /** The quarantine code the record is set aside with. */
    readonly code: ExchangeErrorCode = ExchangeErrorCode.SCHEMA_INVALID,
  ) {
    super(`invalid record: ${fields.join('; ')}`);
    this.name = 'InvalidRecordError';
  }
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints
      ? [`${path}: ${Object.values(error.constraints).join(', ')}`]
      : [];
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Turns a consumed record body into a validated instance of its contract class, as the HTTP
 * ValidationPipe does for requests: unknown properties are refused, every bad field is named.
 */
export async function validateRecord<T extends object>(
  contract: ClassConstructor<T>,
  body: unknown,
): Promise<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRecordError(
      ['record body must be a JSON object'],
      ExchangeErrorCode.MALFORMED,
    );
  }
  const unstorable = findUnstorableText(body);
  if (unstorable) {
    throw new InvalidRecordError(
      [`${unstorable.slice(0, 200)}: holds a NUL or a lone surrogate`],
      ExchangeErrorCode.UNSTORABLE_TEXT,
    );
  }
  const instance = plainToInstance(contract, body);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  if (errors.length > 0) throw new InvalidRecordError(flatten(errors));
  return instance;
}
