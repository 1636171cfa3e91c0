import { IsIn, IsString, MaxLength } from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';

/**
 * A small generic message for tests and benchmarks of the trust layer. It is deliberately not in
 * `exchangeMessageTypes()`: production refuses it; tests register it in their own registry.
 */
export class TestNotice {
  @IsString()
  @MaxLength(200)
  title!: string;

  @IsString()
  @MaxLength(8192)
  text!: string;

  @IsIn(['low', 'high'])
  priority!: 'low' | 'high';
}

export const TEST_NOTICE: MessageTypeDefinition<TestNotice> = {
  type: 'uk.safeguarding.exchange.test-notice',
  version: 1,
  body: TestNotice,
};
