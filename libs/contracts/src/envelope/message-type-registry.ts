import { CONSENT_WITHDRAWAL_ROUTED } from '../consent-withdrawal/consent-withdrawal-routed';
import { CONSENT_WITHDRAWN, CONSENT_WITHDRAWN_VIEW } from '../consent-withdrawal/consent-withdrawn';
import { CORRECTION } from '../correction/correction';
import { CORRECTION_ROUTED } from '../correction/correction-routed';
import { CORRECTION_VIEW } from '../correction/correction-view';
import { DOMESTIC_ABUSE_NOTIFICATION } from '../domestic-abuse-notification/domestic-abuse-notification';
import { DOMESTIC_ABUSE_NOTIFICATION_ROUTED } from '../domestic-abuse-notification/domestic-abuse-notification-routed';
import { ENCOMPASS_VIEW } from '../domestic-abuse-notification/encompass-view';
import { ESCALATION } from '../escalation/escalation';
import { MARAC_ACTION, MARAC_ACTION_VIEW } from '../marac/marac-action';
import { MARAC_ACTION_UPDATE, MARAC_ACTION_UPDATE_VIEW } from '../marac/marac-action-update';
import { MARAC_ESCALATION, MARAC_ESCALATION_VIEW } from '../marac/marac-escalation';
import {
  MARAC_INFORMATION_REQUEST,
  MARAC_INFORMATION_REQUEST_VIEW,
} from '../marac/marac-information-request';
import {
  MARAC_INFORMATION_RESPONSE,
  MARAC_INFORMATION_RESPONSE_VIEW,
} from '../marac/marac-information-response';
import { MARAC_REFERRAL, MARAC_REFERRAL_VIEW } from '../marac/marac-referral';
import {
  MARAC_REFERRAL_DECISION,
  MARAC_REFERRAL_DECISION_VIEW,
} from '../marac/marac-referral-decision';
import { MISSING_EPISODE } from '../missing-episode/missing-episode';
import { MISSING_EPISODE_VIEW } from '../missing-episode/missing-episode-view';
import {
  RETURN_HOME_INTERVIEW_OUTCOME,
  RETURN_HOME_INTERVIEW_OUTCOME_VIEW,
} from '../missing-episode/return-home-interview-outcome';
import { RECEIPT } from '../receipt/receipt';
import { REFERRAL, REFERRAL_VIEW } from '../referral/referral';
import { REFERRAL_OUTCOME, REFERRAL_OUTCOME_VIEW } from '../referral/referral-outcome';
import { REJECTION } from '../rejection/rejection';
import { SHARING_REFUSED } from '../sharing-refused/sharing-refused';

import { MessageTypeDefinition } from './message-type-definition';

export type { MessageTypeDefinition } from './message-type-definition';

/** What the verifier needs: the body class of a type and version, if there is one. */
export interface MessageTypeLookup {
  find(type: string, version: number): MessageTypeDefinition | undefined;
}

/**
 * Maps `type` + `version` to the body's class, so the verifier validates every body against its
 * schema and refuses types nobody registered.
 */
export class MessageTypeRegistry implements MessageTypeLookup {
  private readonly definitions = new Map<string, MessageTypeDefinition>();

  register<T extends object>(definition: MessageTypeDefinition<T>): this {
    const key = `${definition.type}@${definition.version}`;
    if (this.definitions.has(key)) throw new Error(`message type ${key} is already registered`);
    this.definitions.set(key, definition as MessageTypeDefinition);
    return this;
  }

  find(type: string, version: number): MessageTypeDefinition | undefined {
    return this.definitions.get(`${type}@${version}`);
  }

  list(): MessageTypeDefinition[] {
    return [...this.definitions.values()];
  }
}

/**
 * A fresh registry of the message types the exchange carries: what nodes submit, what the hub
 * delivers (recipients' views) and the exchange's own messages (receipt, rejection, escalation).
 */
export function exchangeMessageTypes(): MessageTypeRegistry {
  return new MessageTypeRegistry()
    .register(DOMESTIC_ABUSE_NOTIFICATION)
    .register(ENCOMPASS_VIEW)
    .register(DOMESTIC_ABUSE_NOTIFICATION_ROUTED)
    .register(RECEIPT)
    .register(REJECTION)
    .register(ESCALATION)
    .register(SHARING_REFUSED)
    .register(REFERRAL)
    .register(REFERRAL_VIEW)
    .register(REFERRAL_OUTCOME)
    .register(REFERRAL_OUTCOME_VIEW)
    .register(MISSING_EPISODE)
    .register(MISSING_EPISODE_VIEW)
    .register(RETURN_HOME_INTERVIEW_OUTCOME)
    .register(RETURN_HOME_INTERVIEW_OUTCOME_VIEW)
    .register(MARAC_REFERRAL)
    .register(MARAC_REFERRAL_VIEW)
    .register(MARAC_REFERRAL_DECISION)
    .register(MARAC_REFERRAL_DECISION_VIEW)
    .register(MARAC_INFORMATION_REQUEST)
    .register(MARAC_INFORMATION_REQUEST_VIEW)
    .register(MARAC_INFORMATION_RESPONSE)
    .register(MARAC_INFORMATION_RESPONSE_VIEW)
    .register(MARAC_ACTION)
    .register(MARAC_ACTION_VIEW)
    .register(MARAC_ACTION_UPDATE)
    .register(MARAC_ACTION_UPDATE_VIEW)
    .register(MARAC_ESCALATION)
    .register(MARAC_ESCALATION_VIEW)
    .register(CONSENT_WITHDRAWN)
    .register(CONSENT_WITHDRAWN_VIEW)
    .register(CONSENT_WITHDRAWAL_ROUTED)
    .register(CORRECTION)
    .register(CORRECTION_VIEW)
    .register(CORRECTION_ROUTED);
}

/** What nodes submit about a MARAC case; the hub routes each by its own rule (docs/marac.md). */
export const MARAC_SUBMISSION_TYPES: readonly MessageTypeDefinition[] = [
  MARAC_REFERRAL,
  MARAC_REFERRAL_DECISION,
  MARAC_INFORMATION_REQUEST,
  MARAC_INFORMATION_RESPONSE,
  MARAC_ACTION,
  MARAC_ACTION_UPDATE,
  MARAC_ESCALATION,
];
