import { Matches } from 'class-validator';

export class DeadLetterRecordParams {
  /** `<partition>:<offset>` on the dead-letter topic, as the list gives it. */
  @Matches(/^\d{1,6}:\d{1,19}$/, { message: 'record must be <partition>:<offset>' })
  record!: string;
}
