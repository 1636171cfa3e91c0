import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

import { isSecret } from './secret.decorator';

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

function describe(errors: ValidationError[]): string[] {
  // Messages name the variable and the rule; class-validator's defaults never echo the value.
  return errors.map(
    (error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
  );
}

/**
 * Builds the typed environment of a service from process.env, applying the class defaults.
 * Empty strings count as unset. Throws one error naming every invalid variable.
 */
export function validateEnv<T extends object>(
  envClass: new () => T,
  raw: Record<string, string | undefined>,
): T {
  const known = Object.keys(new envClass());
  const present = Object.fromEntries(
    known.filter((key) => raw[key] !== undefined && raw[key] !== '').map((key) => [key, raw[key]]),
  );
  const env = plainToInstance(envClass, present, { enableImplicitConversion: true });
  const errors = validateSync(env, { forbidUnknownValues: true });
  const problems = describe(errors);
  if (problems.length === 0) {
    const crossCheck = (env as { crossCheck?: () => string[] }).crossCheck;
    problems.push(...(crossCheck?.call(env) ?? []));
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return env;
}

/** The environment with secrets masked, for a start-up log line. */
export function redactEnv<T extends object>(env: T): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      isSecret(env.constructor, key) ? '[redacted]' : value,
    ]),
  );
}
