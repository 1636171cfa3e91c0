import { Module } from '@nestjs/common';

import { ChainAppender } from './chain-appender.service';
import { ChainVerifier } from './chain-verifier.service';

/** The hash chain: its single append path and its verification. */
@Module({
  providers: [ChainAppender, ChainVerifier],
  exports: [ChainAppender, ChainVerifier],
})
export class ChainModule {}
