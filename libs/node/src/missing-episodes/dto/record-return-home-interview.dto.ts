import { OmitType } from '@nestjs/swagger';
import { ReturnHomeInterviewOutcome } from '@app/contracts';

/**
 * The return home interview's outcome as social care records it: the contract without what the
 * node sets itself (the episode id comes from the route, the time from the node's clock).
 */
export class RecordReturnHomeInterviewDto extends OmitType(ReturnHomeInterviewOutcome, [
  'episodeId',
  'recordedAt',
] as const) {}
