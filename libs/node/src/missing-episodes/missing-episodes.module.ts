import { DynamicModule, Module } from '@nestjs/common';

import { MissingEpisodeListService } from './missing-episode-list.service';
import { MissingEpisodeRecipientRepository } from './missing-episode-recipient.repository';
import { MissingEpisodeStatusService } from './missing-episode-status.service';
import { MissingEpisodeRepository } from './missing-episode.repository';
import { MissingEpisodesController } from './missing-episodes.controller';
import { RecordReturnHomeInterviewUseCase } from './record-return-home-interview.usecase';
import { ReportMissingEpisodeUseCase } from './report-missing-episode.usecase';
import { ReturnHomeInterviewsController } from './return-home-interviews.controller';

export interface MissingEpisodesOptions {
  /** Social care: also record return home interview outcomes for episodes it received. */
  returnHomeInterviews: boolean;
}

/**
 * The missing episode API an adapter adds: reporting and following episodes (police, social
 * care), and for social care the return home interview's outcome. The delivery side (statuses,
 * episodes received) runs on every node with the inbox (MissingEpisodeDeliveries).
 */
@Module({})
export class MissingEpisodesModule {
  static register(options: MissingEpisodesOptions): DynamicModule {
    return {
      module: MissingEpisodesModule,
      controllers: [
        MissingEpisodesController,
        ...(options.returnHomeInterviews ? [ReturnHomeInterviewsController] : []),
      ],
      providers: [
        ReportMissingEpisodeUseCase,
        MissingEpisodeStatusService,
        MissingEpisodeRepository,
        MissingEpisodeRecipientRepository,
        MissingEpisodeListService,
        ...(options.returnHomeInterviews ? [RecordReturnHomeInterviewUseCase] : []),
      ],
    };
  }
}
