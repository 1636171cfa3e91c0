import { plainToInstance } from 'class-transformer';
import {
  registerDecorator,
  validateSync,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';

// As strict as the envelope verifier: an unexpected member is refused, never carried along.
const STRICT = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/** Property paths of what fails, never the values (they may be personal data). */
function failures(value: unknown, definition: MessageTypeDefinition): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['an object'];
  const errors = validateSync(plainToInstance(definition.body, value) as object, STRICT);
  const paths = (list: typeof errors, prefix = ''): string[] =>
    list.flatMap((error) => [
      ...(error.constraints ? [`${prefix}${error.property}`] : []),
      ...paths(error.children ?? [], `${prefix}${error.property}.`),
    ]);
  return paths(errors);
}

/**
 * A corrected message carried inside a correction: valid against the schema of the type named
 * by the sibling property `typeProperty`, which must be one of `definitions`. So a correction
 * is held to the same schema as the message it corrects, on the node, at the hub and at the
 * recipient alike.
 */
export function IsCorrectedMessage(
  typeProperty: string,
  definitions: Readonly<Record<string, MessageTypeDefinition>>,
  { onlyWhenKind, ...options }: ValidationOptions & { onlyWhenKind?: string } = {},
): PropertyDecorator {
  const wrongKind = (args: ValidationArguments) =>
    onlyWhenKind !== undefined && (args.object as { kind?: unknown }).kind !== onlyWhenKind;
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCorrectedMessage',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          if (wrongKind(args)) return false;
          const type = (args.object as Record<string, unknown>)[typeProperty];
          const definition = typeof type === 'string' ? definitions[type] : undefined;
          return definition !== undefined && failures(value, definition).length === 0;
        },
        defaultMessage(args: ValidationArguments): string {
          if (wrongKind(args)) return `$property comes only with kind ${onlyWhenKind}`;
          const type = (args.object as Record<string, unknown>)[typeProperty];
          const definition = typeof type === 'string' ? definitions[type] : undefined;
          if (!definition) return `$property needs a correctable ${typeProperty}`;
          return `$property must be a valid ${definition.type}: ${failures(args.value, definition).join(', ')}`;
        },
      },
    });
  };
}
