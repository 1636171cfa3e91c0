import { randomUUID } from 'node:crypto';

import { BadRequestException, Injectable } from '@nestjs/common';
import { DOMESTIC_ABUSE_NOTIFICATION, DomesticAbuseNotification, Topics } from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { NodeSender } from '@app/node';
import { DataSource } from 'typeorm';

import { SubmitIncidentDto } from './dto/submit-incident.dto';

export interface SubmittedIncident {
  incidentId: string;
  policeReference: string;
  notifications: {
    messageId: string;
    childIndex: number;
    /** The child's pseudonymous reference on the exchange: the one given, or a fresh one. */
    subjectRef: string;
    schoolUrn?: string;
    educatedAtHome?: true;
  }[];
}

/**
 * Submits an incident: one signed `domestic-abuse-notification` per child (the hub routes each
 * to that child's school), written with the incident and its notification rows in one
 * transaction with the outbox, so the relay publishes them if and only if the incident is stored.
 * Each child gets the force's own reference when one is given (so a later consent withdrawal
 * about the child reaches every mailbox told under consent), otherwise a fresh random subjectRef:
 * pseudonymous, and unlinkable across incidents.
 */
@Injectable()
export class SubmitIncidentUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(dto: SubmitIncidentDto, submittedBy: string): Promise<SubmittedIncident> {
    const given = dto.children.map((child) => child.subjectRef).filter(Boolean);
    if (new Set(given).size !== given.length) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: ['children.subjectRef must differ between the children of one incident'],
      });
    }
    const incidentId = randomUUID();
    const prepared = await Promise.all(
      dto.children.map(async ({ subjectRef: givenRef, ...child }, childIndex) => {
        const messageId = randomUUID();
        const subjectRef = givenRef ?? randomUUID();
        const body: DomesticAbuseNotification = {
          policeReference: dto.policeReference,
          occurredAt: dto.occurredAt,
          location: dto.location,
          child: { ...child },
          riskLevel: dto.riskLevel,
          circumstances: dto.circumstances,
          actionsTaken: dto.actionsTaken,
          consent: { ...dto.consent },
          lawfulBasis: dto.lawfulBasis,
          ...(dto.safeguardingJustification
            ? { safeguardingJustification: dto.safeguardingJustification }
            : {}),
          familyInformed: dto.familyInformed,
        };
        // Signed and encrypted to the hub here, before the transaction: the outbox row and the
        // topic never hold the child's name or date of birth in clear.
        const sealed = await this.sender.seal({
          definition: DOMESTIC_ABUSE_NOTIFICATION,
          jti: messageId,
          subjectRef,
          body: JSON.parse(JSON.stringify(body)) as DomesticAbuseNotification,
        });
        return { messageId, subjectRef, childIndex, child, sealed };
      }),
    );

    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        'INSERT INTO incident (id, police_reference, submitted_by) VALUES ($1, $2, $3)',
        [incidentId, dto.policeReference, submittedBy],
      );
      for (const item of prepared) {
        await manager.query(
          `INSERT INTO incident_notification (message_id, incident_id, child_index, subject_ref, school_urn, educated_at_home)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            item.messageId,
            incidentId,
            item.childIndex,
            item.subjectRef,
            item.child.educatedAtHome ? null : (item.child.schoolUrn ?? null),
            item.child.educatedAtHome === true,
          ],
        );
        await this.sender.enqueue(manager, Topics.submissions, item.sealed);
      }
      await this.outbox.audit(
        manager,
        prepared.map((item) => ({
          action: 'submitted' as const,
          actor: 'police',
          messageId: item.messageId,
          correlationId: incidentId,
          subjectRef: item.subjectRef,
          messageType: DOMESTIC_ABUSE_NOTIFICATION.type,
          senderNode: 'police',
          payloadDigest: payloadDigest(item.sealed.jws),
        })),
      );
    });
    this.outbox.wake();

    return {
      incidentId,
      policeReference: dto.policeReference,
      notifications: prepared.map((item) => ({
        messageId: item.messageId,
        childIndex: item.childIndex,
        subjectRef: item.subjectRef,
        ...(item.child.educatedAtHome
          ? { educatedAtHome: true as const }
          : { schoolUrn: item.child.schoolUrn }),
      })),
    };
  }
}
