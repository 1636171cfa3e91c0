import { IncidentChild } from '@app/contracts';
import { IsOptional, IsUUID } from 'class-validator';

/**
 * A child as the force's system submits it: the contract's child, and optionally the force's own
 * pseudonymous reference for the child. Given, it links this notification to the child's earlier
 * and later messages (a consent withdrawal reaches every mailbox told under consent about that
 * reference); absent, the notification gets a fresh one, unlinkable to any other. A UUID, so it
 * can never be a name or a record number: it is the Kafka key and travels in clear.
 */
export class IncidentChildDto extends IncidentChild {
  @IsOptional()
  @IsUUID()
  subjectRef?: string;
}
