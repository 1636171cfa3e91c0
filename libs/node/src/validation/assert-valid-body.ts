import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

function messages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      text.startsWith(error.property) ? `${prefix}${text}` : `${path}: ${text}`,
    );
    return [...own, ...messages(error.children ?? [], `${path}.`)];
  });
}

/**
 * Checks a message body against its contract as the hub will (unknown fields refused too), so a
 * node never signs what the hub would refuse. 400 naming every invalid field, never a value.
 */
export async function assertValidBody<T extends object>(
  contract: new () => T,
  body: T,
): Promise<void> {
  const errors = await validate(plainToInstance(contract, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  if (errors.length > 0) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: messages(errors),
    });
  }
}
