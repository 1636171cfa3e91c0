import { IsSubjectRef } from '@app/contracts';

export class SubjectDisclosuresParams {
  /** The subject reference the exchange gave the child (never a name). */
  @IsSubjectRef()
  subjectRef!: string;
}
