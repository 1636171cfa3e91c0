import { Injectable } from '@nestjs/common';
import { signAuditEvent } from '@app/crypto';
import {
  DeadLetter,
  deadLetterMatches,
  KafkaSettings,
  readDeadLetters,
  replayable,
  replayDeadLetters,
} from '@app/messaging';
import { DependencyUnavailableError } from '@app/platform';

import { HubEnv } from '../config/hub.env';
import { HubKeys } from '../keys/hub-keys.service';
import { operatorKafkaSettings } from './operator-kafka-settings';

/** A dead letter as the administrator sees it: where, when, why; never its value. */
export interface DeadLetterEntry {
  record: string;
  time: string;
  code: string;
  reason: string;
  sourceTopic: string;
  messageId: string;
  type: string;
  replayOf: string | null;
  replayable: boolean;
}

/** The re-drive asked for names no dead letter (a wrong or stale `partition:offset`). */
export class DeadLetterNotFoundError extends Error {}

/**
 * The dead-letter topic for the administrator's page, and its re-drive: the same functions as
 * `npm run dead-letter` (libs/messaging, dead-letter-operator.ts), run as the operator principal
 * (OPERATOR_KAFKA_*), the replay audited as the hub with the administrator named.
 */
@Injectable()
export class DeadLetterAdminService {
  constructor(
    private readonly env: HubEnv,
    private readonly keys: HubKeys,
  ) {}

  async list(): Promise<DeadLetterEntry[]> {
    return (await this.read()).map(entryOf).reverse();
  }

  async replay(record: string, administrator: string): Promise<DeadLetterEntry> {
    const letter = (await this.read()).find((found) => deadLetterMatches(found, { record }));
    if (!letter || !replayable(letter.sourceTopic)) throw new DeadLetterNotFoundError(record);
    const signing = (await this.keys.keyring()).signing;
    await replayDeadLetters(this.settings(), [letter], {
      operator: `administrator ${administrator}`,
      signAuditEvent: (eventJson) => signAuditEvent(eventJson, signing),
    });
    return entryOf(letter);
  }

  private async read(): Promise<DeadLetter[]> {
    try {
      return await readDeadLetters(this.settings());
    } catch (error) {
      throw new DependencyUnavailableError(
        'KAFKA_UNAVAILABLE',
        'The dead-letter topic cannot be read at the moment.',
        `dead letters: ${(error as Error).message}`,
      );
    }
  }

  private settings(): KafkaSettings {
    return operatorKafkaSettings({
      KAFKA_BROKERS: this.env.KAFKA_BROKERS,
      KAFKA_SASL_MECHANISM: this.env.KAFKA_SASL_MECHANISM,
      KAFKA_CREDENTIALS_DIR: this.env.KAFKA_CREDENTIALS_DIR,
      KAFKA_SSL: String(this.env.KAFKA_SSL),
      KAFKA_SSL_CA_FILE: this.env.KAFKA_SSL_CA_FILE,
      KAFKA_SSL_CERT_FILE: this.env.KAFKA_SSL_CERT_FILE,
      KAFKA_SSL_KEY_FILE: this.env.KAFKA_SSL_KEY_FILE,
      OPERATOR_KAFKA_USERNAME: this.env.OPERATOR_KAFKA_USERNAME,
      OPERATOR_KAFKA_PASSWORD_FILE: this.env.OPERATOR_KAFKA_PASSWORD_FILE,
    });
  }
}

function entryOf(letter: DeadLetter): DeadLetterEntry {
  return {
    record: `${letter.partition}:${letter.offset}`,
    time: letter.time,
    code: letter.code,
    reason: letter.reason,
    sourceTopic: letter.sourceTopic,
    messageId: letter.messageId,
    type: letter.type,
    replayOf: letter.replayOf || null,
    replayable: replayable(letter.sourceTopic),
  };
}
