import 'reflect-metadata';
import { runService } from '@app/platform';

import { AppModule } from './app.module';

void runService(AppModule);
