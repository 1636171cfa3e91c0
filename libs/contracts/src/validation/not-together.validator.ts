import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * The property, when true, contradicts another property being given (a child educated at home
 * has no school): refused rather than one of them silently winning at the hub.
 */
export function NotTrueWith(property: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notTrueWith',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [property],
      options: { message: `$property must not be true when ${property} is given`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          return value !== true || (args.object as Record<string, unknown>)[property] === undefined;
        },
      },
    });
}
