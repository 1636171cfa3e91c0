import { formatDate, formatDateTime } from '@app/calendar';

import { PackEntry, ResearchPack } from '../cases/case-queries.service';
import { AreaNames } from './area-names';

/** The marking every copy of the pack carries (Government Security Classifications). */
export const PROTECTIVE_MARKING = 'OFFICIAL-SENSITIVE';

export interface FactAndOpinion {
  title: string;
  facts: string;
  opinion?: string;
}

export interface ReadableAgency {
  /** The ids behind the heading, for a client that acts on the agency (an action's owner). */
  agencyId: string;
  mailboxId: string;
  /** "Northshire Police — Police safeguarding hub" */
  heading: string;
  /** What happened to the request, in words: received, late, overdue, escalated, not delivered. */
  status: string;
  /** The status needs attention (late, overdue, not delivered). */
  attention: boolean;
  answers: FactAndOpinion[];
  currentActions?: string;
  contact?: string;
  /** Set when the answers were purged under a retention rule. */
  purged?: string;
}

export interface ReadableAction {
  owner: string;
  description: string;
  due: string;
  overdue: boolean;
  state: string;
  updates: string[];
}

/**
 * The research pack as people read it, whether printed from HTML or as a PDF: agencies and
 * mailboxes by name, times in the area's time zone the way people write them, facts apart from
 * opinion. Both renderers take this, so they say the same.
 */
export interface ReadablePack {
  marking: string;
  caseId: string;
  producedOn: string;
  meeting: string;
  caseRows: [string, string][];
  /** The case's earlier referrals (a repeat case names the one before). */
  history: string;
  /** Each earlier referral of the victim, newest first, in words. */
  earlierReferrals: string[];
  children: { reference: string; school: string }[];
  answeredLine: string;
  notAnswered: string[];
  overdue: string[];
  notDelivered: string[];
  agencies: ReadableAgency[];
  actions: ReadableAction[];
}

const CRITERIA: Record<string, string> = {
  'visible-high-risk': 'Visible high risk (DASH score 14 or more)',
  'professional-judgement': 'Professional judgement',
  'potential-escalation': 'Potential escalation',
  repeat: 'Repeat case',
};

const ACTION_STATES: Record<string, string> = {
  open: 'Sent, not acknowledged yet',
  acknowledged: 'Acknowledged',
  'in-progress': 'In progress',
  completed: 'Completed',
};

/** The pack in words; produced at the pack's own `generatedAt`. */
export function readablePack(pack: ResearchPack, names: AreaNames, timeZone: string): ReadablePack {
  const at = (value: string) => formatDateTime(value, timeZone);
  const c = pack.case;
  const agencyAt = (entry: { agencyId: string; mailboxId: string }) =>
    `${names.agency(entry.agencyId)} — ${names.mailbox(entry.mailboxId)}`;
  const criterion = [
    CRITERIA[c.criterion] ?? c.criterion,
    c.professionalJudgementReason ? `: ${c.professionalJudgementReason}` : '',
    c.incidentsLast12Months !== null ? ` (${c.incidentsLast12Months} incidents in 12 months)` : '',
  ].join('');
  return {
    marking: PROTECTIVE_MARKING,
    caseId: c.caseId,
    producedOn: at(pack.generatedAt),
    meeting: at(c.meetingAt),
    caseRows: [
      ['Case', c.caseId],
      ['Victim reference', c.victimRef],
      ['Perpetrator reference', c.perpetratorRef],
      ['Referred by', `${names.agency(c.referringAgencyId)} on ${at(c.referredAt)}`],
      ['Risk basis', criterion],
      [
        'DASH total',
        `${c.dashTotal}${
          c.dashTotalComputed
            ? ' (computed from the checklist)'
            : ` (given without answers: ${c.dashAnswersMissingReason ?? 'no reason given'})`
        }`,
      ],
      ['Responses due', at(c.responsesDueAt)],
    ],
    history: c.repeat
      ? `Repeat case: referred before within 12 months (previous case ${c.previousCaseId ?? 'not recorded'}).`
      : 'No earlier referral to this MARAC within 12 months.',
    earlierReferrals: c.earlierReferrals.map(
      (earlier) =>
        `Referred on ${at(earlier.referredAt)} by ${names.agency(earlier.referringAgencyId)}: ${
          CRITERIA[earlier.criterion] ?? earlier.criterion
        }, DASH total ${earlier.dashTotal}; listed for the meeting of ${formatDate(
          `${earlier.meetingDate}T12:00:00Z`,
          'UTC',
        )} (case ${earlier.caseId}).`,
    ),
    children: c.children.map((child) => ({
      reference: child.subjectRef,
      school: child.schoolUrn ? `URN ${child.schoolUrn}` : '—',
    })),
    answeredLine: `${pack.agencies.length - pack.notAnswered.length} of ${pack.agencies.length} agencies have answered.`,
    notAnswered: pack.notAnswered.map(agencyAt),
    overdue: pack.overdue.map(
      (entry) =>
        `${agencyAt(entry)}${entry.escalatedAt ? `, escalated ${at(entry.escalatedAt)}` : ''}`,
    ),
    notDelivered: pack.notDelivered.map((entry) => `${agencyAt(entry)}: ${entry.code}`),
    agencies: pack.agencies.map((entry) => readableAgency(entry, names, at)),
    // Overdue actions first, so the meeting takes them up before the rest.
    actions: [
      ...pack.actions.filter((a) => a.overdue),
      ...pack.actions.filter((a) => !a.overdue),
    ].map((action) => ({
      owner: `${names.agency(action.ownerAgencyId)} — ${names.mailbox(action.ownerMailboxId)}`,
      description: action.description,
      // A due date is a day, not an instant: shown as the day it names.
      due: `${formatDate(`${action.dueDate}T12:00:00Z`, 'UTC')}${action.overdue ? ' (overdue)' : ''}`,
      overdue: action.overdue,
      state: `${ACTION_STATES[action.state] ?? action.state}${
        action.acknowledgedAt ? `; acknowledged ${at(action.acknowledgedAt)}` : ''
      }${action.escalatedAt ? `; escalated ${at(action.escalatedAt)}` : ''}`,
      updates: action.updates.map(
        (update) =>
          `${at(update.recordedAt)}, ${names.agency(update.agencyId)}: ${update.status} — ${update.note}`,
      ),
    })),
  };
}

function readableAgency(
  entry: PackEntry,
  names: AreaNames,
  at: (value: string) => string,
): ReadableAgency {
  const heading = `${names.agency(entry.agencyId)} — ${names.mailbox(entry.mailboxId)}`;
  const ids = { agencyId: entry.agencyId, mailboxId: entry.mailboxId };
  if (!entry.response && entry.notDelivered) {
    return {
      ...ids,
      heading,
      status: `Request not delivered by the exchange: ${entry.notDelivered.code} — ${entry.notDelivered.reason}.`,
      attention: true,
      answers: [],
    };
  }
  if (!entry.response) {
    const escalated = entry.escalatedAt
      ? `; escalated to ${names.mailbox(entry.escalationMailboxId)} on ${at(entry.escalatedAt)}`
      : '';
    return {
      ...ids,
      heading,
      status: `No response${entry.overdue ? ' — overdue' : ''} (due ${at(entry.dueAt)})${escalated}.`,
      attention: entry.overdue,
      answers: [],
    };
  }
  const { form, receivedAt, late, purged } = entry.response;
  const status = `Received ${at(receivedAt)}${late ? ' (late)' : ''}; due ${at(entry.dueAt)}.`;
  if (!form) {
    return {
      ...ids,
      heading,
      status,
      attention: late,
      answers: [],
      purged: `Answers purged on ${purged ? at(purged.at) : 'an unrecorded date'} under the retention rule ${purged?.rule ?? 'not recorded'}.`,
    };
  }
  return {
    ...ids,
    heading,
    status,
    attention: late,
    answers: [
      { title: 'Involvement with the victim', ...form.victimInvolvement },
      { title: 'Involvement with the perpetrator', ...form.perpetratorInvolvement },
      ...(form.childrenInvolvement ?? []).map((child) => ({
        title: `Involvement with child ${child.subjectRef}`,
        facts: child.facts,
        ...(child.opinion ? { opinion: child.opinion } : {}),
      })),
      { title: 'Known risks', ...form.knownRisks },
    ],
    currentActions: form.currentActions,
    contact: form.contact,
  };
}
