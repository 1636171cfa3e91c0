import { Module } from '@nestjs/common';
import { NodeAppModule } from '@app/node';

import { EducationEnv } from './config/education-adapter.env';
import { EDUCATION_IDENTITY } from './education-adapter.identity';

@Module({
  imports: [NodeAppModule.forRoot({ identity: EDUCATION_IDENTITY, env: EducationEnv })],
})
export class AppModule {}
