import { Injectable, Logger } from '@nestjs/common';
import { ExchangeError, REJECTION, Rejection, Topics } from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { OutboxRecord, OutboxWriter } from '@app/messaging';
import { RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { HubSender } from './hub-sender.service';
import { AlreadyProcessed, markProcessed } from './processed-messages';

/** What the hub knows of a refused message: as much of its claims as could be read. */
export interface RefusedMessage {
  /** The record's value as it arrived (a JWE to the hub): what quarantine keeps. */
  value: string;
  /** The digest the message is known by (its signed envelope's); of `value` when not given. */
  digest?: string;
  key: string;
  headers: Record<string, string>;
  sourceTopic: string;
  /** Trusted only when the signature verified; otherwise the claimed sender, for the reply. */
  iss?: string;
  jti?: string;
  sub?: string;
  type?: string;
  signatureVerified: boolean;
  recipient?: string;
}

/**
 * A refusal, so that nothing is dropped silently: the record goes to quarantine with its code,
 * the sender gets a signed rejection naming the reason, and the refusal is audited, all in one
 * outbox transaction, once per message.
 */
@Injectable()
export class RefusalService {
  private readonly logger = new Logger(RefusalService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly sender: HubSender,
    private readonly registry: RegistryService,
  ) {}

  async refuse(message: RefusedMessage, error: ExchangeError): Promise<void> {
    const digest = message.digest ?? payloadDigest(message.value);
    // A verified message is known by its id; an unverified one by its bytes, so nobody can
    // block a real message id with a forged record.
    const key = message.signatureVerified && message.jti ? message.jti : `sha256:${digest}`;
    const records: OutboxRecord[] = [
      {
        topic: Topics.quarantine,
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          sgx_refusal_code: error.code,
          sgx_refusal_reason: error.message.slice(0, 1000),
          sgx_source_topic: message.sourceTopic,
        },
      },
    ];
    const senderNode =
      message.iss && (await this.registry.findNode(message.iss)) ? message.iss : undefined;
    if (senderNode && message.jti && /^[0-9a-f-]{36}$/i.test(message.jti)) {
      try {
        const { record } = await this.sender.sealFor<Rejection>(senderNode, {
          definition: REJECTION,
          subjectRef: message.sub ?? message.jti,
          body: {
            messageId: message.jti,
            code: error.code,
            reason: error.message.slice(0, 1000),
            ...(message.recipient ? { recipient: message.recipient } : {}),
          },
        });
        records.push(record);
      } catch (sealError) {
        // The sender cannot be written to (no key): quarantine and audit still say what happened.
        this.logger.warn(`no rejection sent to ${senderNode}: ${(sealError as Error).message}`);
      }
    }
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await markProcessed(manager, key, message.iss ?? null, digest, 'rejected'))) {
          throw new AlreadyProcessed();
        }
        await this.outbox.add(manager, records);
        await this.outbox.audit(manager, [
          {
            action: 'rejected',
            actor: HUB_NODE_ID,
            errorCode: error.code,
            ...(message.signatureVerified && message.jti ? { messageId: message.jti } : {}),
            ...(message.sub && message.signatureVerified ? { subjectRef: message.sub } : {}),
            ...(message.type ? { messageType: message.type } : {}),
            ...(senderNode ? { senderNode } : {}),
            payloadDigest: digest,
            detail: error.message.slice(0, 1000),
          },
        ]);
      });
    } catch (caught) {
      if (caught instanceof AlreadyProcessed) return;
      throw caught;
    }
    this.outbox.wake();
  }
}
