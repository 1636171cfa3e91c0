import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';

import { decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './newest-first-page';

/** The `nextCursor` of an earlier page, checked to the calendar before it reaches the database. */
function IsPageCursor(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPageCursor',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be the nextCursor of an earlier page',
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !!decodeCursor(value),
      },
    });
}

/** `?limit=&cursor=` of a list read newest first. */
export class NewestFirstPageQuery {
  @ApiPropertyOptional({
    description: `How many rows (1 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} if left out)`,
    example: DEFAULT_PAGE_SIZE,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({
    description: 'The nextCursor of the previous page; left out, the newest page',
    example: '2026-12-04T09:15:02.123456Z~7f3e2a4c-1b5d-4e6f-8a9b-0c1d2e3f4a5b',
  })
  @IsOptional()
  @IsString()
  @IsPageCursor()
  cursor?: string;
}
