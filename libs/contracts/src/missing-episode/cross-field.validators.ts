import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

const instant = (value: unknown): number =>
  typeof value === 'string' ? Date.parse(value) : Number.NaN;

/**
 * The property, a date-time, is not earlier than another date-time property of the same object
 * (a child is not found before going missing). Passes when either is not a date: the properties'
 * own validators name that.
 */
export function NotBefore(property: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notBefore',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [property],
      options: { message: `$property must not be before ${property}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const other = instant((args.object as Record<string, unknown>)[property]);
          const own = instant(value);
          return Number.isNaN(own) || Number.isNaN(other) || own >= other;
        },
      },
    });
}

/**
 * The property may only be given when another property has one value (foundAt only when the
 * status is found, heldAt only when the interview was held).
 */
export function OnlyWhen(
  property: string,
  expected: string | readonly string[],
  options?: ValidationOptions,
): PropertyDecorator {
  const allowed: readonly string[] = typeof expected === 'string' ? [expected] : expected;
  return (target, propertyName) =>
    registerDecorator({
      name: 'onlyWhen',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [property, allowed],
      options: {
        message: `$property is given only when ${property} is ${allowed.join(' or ')}`,
        ...options,
      },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          return (
            value === undefined ||
            allowed.includes((args.object as Record<string, unknown>)[property] as string)
          );
        },
      },
    });
}
