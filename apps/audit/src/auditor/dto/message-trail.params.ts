import { IsUUID } from 'class-validator';

export class MessageTrailParams {
  @IsUUID()
  messageId!: string;
}
