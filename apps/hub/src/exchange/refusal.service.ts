import { Injectable, Logger } from '@nestjs/common';
import {
  ExchangeError,
  isUnstorableText,
  REJECTION,
  Rejection,
  storableText,
  Topics,
} from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { OutboxRecord, OutboxWriter, describeError } from '@app/messaging';
import { RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { HubSender } from './hub-sender.service';
import { AlreadyProcessed, markProcessed, processedDigest } from './processed-messages';

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

  async refuse(refused: RefusedMessage, error: ExchangeError): Promise<void> {
    const digest = refused.digest ?? payloadDigest(refused.value);
    // Whatever the record carried, the refusal itself must be storable, or it would fail in
    // the database on every attempt and the record would never be set aside.
    const message = storableRefusal(refused);
    const messageId = message.jti && UUID.test(message.jti) ? message.jti : undefined;
    // The exchange already decided on this message id: what is refused now is a copy (a replay,
    // a re-headered or forged record), and the message's own state must stand.
    const copy =
      messageId !== undefined &&
      (await processedDigest(this.dataSource.manager, messageId)) !== undefined;
    // A verified message is known by its id; an unverified one or a copy by its bytes, so nobody
    // can block a real message id with a forged record, and each copy is refused once.
    const key = message.signatureVerified && messageId && !copy ? messageId : `sha256:${digest}`;
    const records: OutboxRecord[] = [
      {
        topic: Topics.quarantine,
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          ...(message.value !== refused.value ? { sgx_value_encoding: 'base64' } : {}),
          sgx_refusal_code: error.code,
          sgx_refusal_reason: error.message.slice(0, 1000),
          sgx_source_topic: message.sourceTopic,
        },
      },
    ];
    // Only a node the registry has, never the hub itself, gets an answer (issue 12 finding 7).
    const senderNode =
      message.iss && message.iss !== HUB_NODE_ID && (await this.registry.findNode(message.iss))
        ? message.iss
        : undefined;
    if (senderNode && messageId) {
      try {
        const { record } = await this.sender.sealFor<Rejection>(senderNode, {
          definition: REJECTION,
          subjectRef: message.sub ?? messageId,
          body: {
            messageId,
            code: error.code,
            reason: error.message.slice(0, 1000),
            ...(message.recipient ? { recipient: message.recipient } : {}),
            ...(copy ? { concerns: 'copy' as const } : {}),
          },
        });
        records.push(record);
      } catch (sealError) {
        // The sender cannot be written to (no key): quarantine and audit still say what happened.
        this.logger.warn(`no rejection sent to ${senderNode}: ${describeError(sealError)}`);
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
            ...(message.signatureVerified && messageId && !copy ? { messageId } : {}),
            // A copy names the message it copies, whose own trail is unchanged.
            ...(copy ? { correlationId: messageId } : {}),
            ...(message.sub && message.signatureVerified ? { subjectRef: message.sub } : {}),
            ...(message.type && AUDIT_NAME.test(message.type) ? { messageType: message.type } : {}),
            ...(senderNode ? { senderNode } : {}),
            payloadDigest: digest,
            detail: `${copy ? 'a copy of an accepted message: ' : ''}${error.message}`.slice(
              0,
              1000,
            ),
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What an audit event's name fields take (AuditEvent's NAME). */
const AUDIT_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

/**
 * The refused message with every text made storable: headers, key and claims with NUL and lone
 * surrogates replaced; a value holding them quarantined as base64 (marked in a header) of the
 * value as the hub received it.
 */
function storableRefusal(message: RefusedMessage): RefusedMessage {
  const text = (value: string | undefined) =>
    value === undefined ? undefined : storableText(value);
  return {
    ...message,
    value: isUnstorableText(message.value)
      ? Buffer.from(message.value, 'utf8').toString('base64')
      : message.value,
    key: storableText(message.key),
    headers: Object.fromEntries(
      Object.entries(message.headers).map(([name, value]) => [
        storableText(name),
        storableText(value).slice(0, 1_000),
      ]),
    ),
    iss: text(message.iss),
    jti: text(message.jti),
    sub: text(message.sub),
    type: text(message.type),
    recipient: text(message.recipient),
  };
}
