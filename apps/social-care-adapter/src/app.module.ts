import { Module } from '@nestjs/common';
import { MissingEpisodesModule, NodeAppModule } from '@app/node';

import { SocialCareEnv } from './config/social-care-adapter.env';
import { SOCIAL_CARE_IDENTITY } from './social-care-adapter.identity';

@Module({
  imports: [
    NodeAppModule.forRoot({
      identity: SOCIAL_CARE_IDENTITY,
      env: SocialCareEnv,
      imports: [MissingEpisodesModule.register({ returnHomeInterviews: true })],
    }),
  ],
})
export class AppModule {}
