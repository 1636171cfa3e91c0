import { ResearchPack } from '../cases/case-queries.service';
import { AreaNames } from './area-names';

/** Names as the demo area file has them, for the pack renderers' specs. */
export const testAreaNames = new AreaNames(
  new Map([
    ['northshire-police', 'Northshire Police'],
    ['northshire-community-health', 'Northshire Community Health NHS Trust'],
  ]),
  new Map([
    ['police-safeguarding-hub', 'Police safeguarding hub'],
    ['health-visiting', 'Health visiting team'],
  ]),
);

/** A case with one answer from the police, whose texts are `text` where free text goes. */
export function examplePack(text: string): ResearchPack {
  return {
    generatedAt: '2026-03-18T09:00:00.000Z',
    case: {
      caseId: 'c-1',
      victimRef: 'V-1',
      perpetratorRef: 'P-1',
      referringAgencyId: 'northshire-police',
      referredAt: '2026-03-02T09:00:00.000Z',
      criterion: 'professional-judgement',
      dashTotal: 9,
      repeat: false,
      meetingDate: '2026-03-19',
      meetingAt: '2026-03-19T10:00:00.000Z',
      responsesDueAt: '2026-03-17T00:00:00.000Z',
      children: [{ subjectRef: 'C-1', schoolUrn: '990101' }],
      dashAnswers: null,
      dashTotalComputed: true,
      dashAnswersMissingReason: null,
      professionalJudgementReason: text,
      incidentsLast12Months: null,
      previousCaseId: null,
      earlierReferrals: [],
    },
    agencies: [
      {
        requestId: 'r-1',
        agencyId: 'northshire-police',
        agencyKind: 'police',
        mailboxId: 'police-safeguarding-hub',
        dueAt: '2026-03-17T00:00:00.000Z',
        state: 'answered',
        overdue: false,
        escalatedAt: null,
        escalationMailboxId: 'police-escalation',
        notDelivered: null,
        response: {
          receivedAt: '2026-03-10T09:00:00.000Z',
          late: false,
          form: {
            victimInvolvement: { facts: text, opinion: 'worried "a lot"' },
            perpetratorInvolvement: { facts: 'none' },
            childrenInvolvement: [],
            knownRisks: { facts: 'x' },
            currentActions: 'y',
            contact: 'z',
          },
          purged: null,
        },
      },
    ],
    notAnswered: [],
    overdue: [],
    notDelivered: [],
    actions: [],
  };
}

/** The same case with a second agency whose request the exchange refused to deliver. */
export function withUndeliveredHealthRequest(pack: ResearchPack): ResearchPack {
  return {
    ...pack,
    agencies: [
      ...pack.agencies,
      {
        requestId: 'r-2',
        agencyId: 'northshire-community-health',
        agencyKind: 'health',
        mailboxId: 'health-visiting',
        dueAt: '2026-03-17T00:00:00.000Z',
        state: 'awaiting',
        overdue: false,
        escalatedAt: null,
        escalationMailboxId: 'health-escalation',
        notDelivered: { code: 'NOT_A_MARAC_MEMBER', reason: 'not a member' },
        response: null,
      },
    ],
    notAnswered: [{ agencyId: 'northshire-community-health', mailboxId: 'health-visiting' }],
    notDelivered: [
      {
        agencyId: 'northshire-community-health',
        mailboxId: 'health-visiting',
        code: 'NOT_A_MARAC_MEMBER',
      },
    ],
  };
}
