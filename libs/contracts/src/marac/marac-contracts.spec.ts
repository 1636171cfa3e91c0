import { randomUUID } from 'node:crypto';

import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

import { exchangeMessageTypes, MessageTypeDefinition } from '../envelope/message-type-registry';
import { MARAC_ACTION, MARAC_ACTION_VIEW } from './marac-action';
import { MARAC_ACTION_UPDATE, MARAC_ACTION_UPDATE_VIEW } from './marac-action-update';
import { MARAC_ESCALATION, MARAC_ESCALATION_VIEW } from './marac-escalation';
import {
  MARAC_INFORMATION_REQUEST,
  MARAC_INFORMATION_REQUEST_VIEW,
} from './marac-information-request';
import {
  MARAC_INFORMATION_RESPONSE,
  MARAC_INFORMATION_RESPONSE_VIEW,
} from './marac-information-response';
import { MARAC_REFERRAL, MARAC_REFERRAL_VIEW } from './marac-referral';
import { MARAC_REFERRAL_DECISION, MARAC_REFERRAL_DECISION_VIEW } from './marac-referral-decision';

/** As the hub and the nodes validate bodies: unknown members refused. */
async function failures(definition: MessageTypeDefinition, body: object): Promise<string[]> {
  const errors = await validate(plainToInstance(definition.body, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  // Each failing property path once, whatever the number of rules it broke.
  const paths = (list: ValidationError[], prefix = ''): string[] =>
    list.flatMap((error) => [
      ...(error.constraints ? [`${prefix}${error.property}`] : []),
      ...paths(error.children ?? [], `${prefix}${error.property}.`),
    ]);
  return [...new Set(paths(errors))];
}

const terms = {
  consent: { position: 'not-sought' },
  lawfulBasis: 'dpa2018-sch1-para18',
  safeguardingJustification: 'asking-would-put-someone-at-risk',
  familyInformed: true,
};
const caseId = randomUUID();
const referral = {
  ...terms,
  referralId: randomUUID(),
  referringAgencyId: 'northshire-police',
  referrerMailboxId: 'police-safeguarding-hub',
  victimRef: 'V-1234',
  perpetratorRef: 'P-1234',
  children: [{ subjectRef: 'C-1', schoolUrn: '990101' }, { subjectRef: 'C-2' }],
  criterion: 'visible-high-risk',
  dashAnswers: Array.from({ length: 24 }, () => 'yes'),
};
const request = {
  ...terms,
  requestId: randomUUID(),
  caseId,
  recipientAgencyId: 'northshire-education',
  recipientMailboxId: 'school-990101-dsl',
  meetingDate: '2026-03-19',
  meetingAt: '2026-03-19T10:00:00.000Z',
  dueAt: '2026-03-17T00:00:00.000Z',
  victimRef: 'V-1234',
  perpetratorRef: 'P-1234',
  children: [{ subjectRef: 'C-1', schoolUrn: '990101' }],
  criterion: 'visible-high-risk',
  dashTotal: 15,
  repeat: false,
};
const response = {
  requestId: request.requestId,
  caseId,
  respondingMailboxId: 'health-visiting',
  answeredAt: '2026-03-10T11:00:00.000Z',
  victimInvolvement: { facts: 'Seen at home in February.', opinion: 'Appears isolated.' },
  perpetratorInvolvement: { facts: 'Not known.' },
  childrenInvolvement: [{ subjectRef: 'C-1', facts: 'Immunisations up to date.' }],
  knownRisks: { facts: 'None recorded.' },
  currentActions: 'Health visiting continues.',
  contact: 'Health visiting team, secure email',
};
const action = {
  ...terms,
  actionId: randomUUID(),
  caseId,
  recipientAgencyId: 'northshire-police',
  recipientMailboxId: 'police-safeguarding-hub',
  victimRef: 'V-1234',
  description: 'Flag the address for a priority response',
  dueDate: '2026-03-26',
  dueAt: '2026-03-27T00:00:00.000Z',
};
const listed = {
  referralId: referral.referralId,
  decision: 'listed',
  caseId,
  meetingDate: '2026-03-19',
  meetingAt: '2026-03-19T10:00:00.000Z',
  decidedAt: '2026-03-02T09:00:00.000Z',
  lawfulBasis: 'dpa2018-sch1-para18',
};
const refused = {
  referralId: referral.referralId,
  decision: 'refused',
  reasonCode: 'CRITERION_NOT_MET',
  reason: 'criterion: repeat needs a previous MARAC referral for the same victim within 12 months',
  decidedAt: '2026-03-02T09:00:00.000Z',
  lawfulBasis: 'dpa2018-sch1-para18',
};
const update = {
  actionId: action.actionId,
  caseId,
  mailboxId: 'police-safeguarding-hub',
  status: 'in-progress',
  note: 'Marker requested.',
  at: '2026-03-23T10:00:00.000Z',
};
const escalation = {
  ...terms,
  caseId,
  about: 'information-request',
  overdueId: request.requestId,
  overdueAgencyId: 'northshire-education',
  overdueMailboxId: 'school-990101-dsl',
  dueAt: request.dueAt,
  escalatedAt: '2026-03-17T09:00:00.000Z',
  recipientMailboxId: 'education-escalation',
};

describe('MARAC contracts', () => {
  it('registers every MARAC type and view with the exchange', () => {
    const types = exchangeMessageTypes();
    for (const definition of [
      MARAC_REFERRAL,
      MARAC_REFERRAL_VIEW,
      MARAC_REFERRAL_DECISION,
      MARAC_REFERRAL_DECISION_VIEW,
      MARAC_INFORMATION_REQUEST,
      MARAC_INFORMATION_REQUEST_VIEW,
      MARAC_INFORMATION_RESPONSE,
      MARAC_INFORMATION_RESPONSE_VIEW,
      MARAC_ACTION,
      MARAC_ACTION_VIEW,
      MARAC_ACTION_UPDATE,
      MARAC_ACTION_UPDATE_VIEW,
      MARAC_ESCALATION,
      MARAC_ESCALATION_VIEW,
    ]) {
      expect(types.find(definition.type, 1)).toBe(definition);
    }
  });

  it.each([
    ['referral', MARAC_REFERRAL, referral],
    [
      'referral view',
      MARAC_REFERRAL_VIEW,
      { ...referral, recipientMailboxId: 'marac-coordinator' },
    ],
    ['listing decision', MARAC_REFERRAL_DECISION, listed],
    ['refusal decision', MARAC_REFERRAL_DECISION, refused],
    [
      'decision view',
      MARAC_REFERRAL_DECISION_VIEW,
      {
        referralId: refused.referralId,
        decision: 'refused',
        reasonCode: refused.reasonCode,
        reason: refused.reason,
        decidedAt: refused.decidedAt,
        recipientMailboxId: 'police-safeguarding-hub',
      },
    ],
    ['information request', MARAC_INFORMATION_REQUEST, request],
    ['information response', MARAC_INFORMATION_RESPONSE, response],
    [
      'information response view',
      MARAC_INFORMATION_RESPONSE_VIEW,
      {
        ...response,
        respondingAgencyId: 'northshire-community-health',
        recipientMailboxId: 'marac-coordinator',
      },
    ],
    ['action', MARAC_ACTION, action],
    ['action update', MARAC_ACTION_UPDATE, update],
    [
      'action acknowledgement without a note',
      MARAC_ACTION_UPDATE,
      { ...update, status: 'acknowledged', note: undefined },
    ],
    ['escalation', MARAC_ESCALATION, escalation],
  ] as [string, MessageTypeDefinition, object][])(
    'accepts a sound %s',
    async (_, definition, body) => {
      expect(await failures(definition, body)).toEqual([]);
    },
  );

  it('keeps names out: a reference with a space is refused wherever a person is named', async () => {
    expect(await failures(MARAC_REFERRAL, { ...referral, victimRef: 'Jane Smith' })).toEqual([
      'victimRef',
    ]);
    expect(
      await failures(MARAC_INFORMATION_REQUEST, {
        ...request,
        children: [{ subjectRef: 'Tom Smith' }],
      }),
    ).toEqual(['children.0.subjectRef']);
  });

  it('needs what the sharing rests on in every message that names a case’s people', async () => {
    for (const [definition, body] of [
      [MARAC_REFERRAL, referral],
      [MARAC_INFORMATION_REQUEST, request],
      [MARAC_ACTION, action],
      [MARAC_ESCALATION, escalation],
    ] as const) {
      const { consent, lawfulBasis, familyInformed, ...rest } = body;
      void consent;
      void lawfulBasis;
      void familyInformed;
      expect((await failures(definition, rest)).sort()).toEqual(
        ['consent', 'familyInformed', 'lawfulBasis'].sort(),
      );
    }
  });

  it('keeps facts apart from opinion: research without facts is refused', async () => {
    expect(
      await failures(MARAC_INFORMATION_RESPONSE, {
        ...response,
        knownRisks: { opinion: 'only an opinion' },
      }),
    ).toEqual(['knownRisks.facts']);
    expect(
      await failures(MARAC_INFORMATION_RESPONSE, { ...response, victimInvolvement: undefined }),
    ).toEqual(['victimInvolvement']);
  });

  it('needs a referral to name the mailbox that hears the decision', async () => {
    expect(await failures(MARAC_REFERRAL, { ...referral, referrerMailboxId: undefined })).toEqual([
      'referrerMailboxId',
    ]);
  });

  it('needs the meeting with a listing and the reason with a refusal, and neither with the other', async () => {
    const { caseId: _case, meetingDate: _date, ...bare } = listed;
    void _case;
    void _date;
    expect((await failures(MARAC_REFERRAL_DECISION, bare)).sort()).toEqual([
      'caseId',
      'meetingDate',
    ]);
    expect(
      (
        await failures(MARAC_REFERRAL_DECISION, { ...refused, reasonCode: undefined, reason: '' })
      ).sort(),
    ).toEqual(['reason', 'reasonCode']);
    expect(
      (
        await failures(MARAC_REFERRAL_DECISION, { ...listed, reasonCode: 'CRITERION_NOT_MET' })
      ).sort(),
    ).toEqual(['reasonCode']);
    expect(await failures(MARAC_REFERRAL_DECISION, { ...refused, caseId })).toEqual(['caseId']);
    // Only the MARAC's own refusal codes: a duplicate delivery is not a decision.
    expect(
      await failures(MARAC_REFERRAL_DECISION, { ...refused, reasonCode: 'ALREADY_LISTED' }),
    ).toEqual(['reasonCode']);
  });

  it('needs a note with progress, and a known status', async () => {
    expect(await failures(MARAC_ACTION_UPDATE, { ...update, note: undefined })).toContain('note');
    expect(await failures(MARAC_ACTION_UPDATE, { ...update, status: 'abandoned' })).toEqual([
      'status',
    ]);
  });

  it('refuses unknown members, so nothing travels unvalidated', async () => {
    expect(await failures(MARAC_ACTION, { ...action, victimName: 'Jane Smith' })).toEqual([
      'victimName',
    ]);
  });

  it('takes a minimised view: only the ids and the due time are required', async () => {
    expect(
      await failures(MARAC_INFORMATION_REQUEST_VIEW, {
        requestId: request.requestId,
        caseId,
        recipientMailboxId: 'school-990101-dsl',
        dueAt: request.dueAt,
      }),
    ).toEqual([]);
    expect(
      await failures(MARAC_ACTION_VIEW, {
        actionId: action.actionId,
        caseId,
        recipientMailboxId: action.recipientMailboxId,
        dueAt: action.dueAt,
      }),
    ).toEqual([]);
    expect(
      await failures(MARAC_ESCALATION_VIEW, {
        caseId,
        overdueId: request.requestId,
        recipientMailboxId: 'education-escalation',
      }),
    ).toEqual([]);
    // A view never carries the sharing terms: the member is not told the victim's consent.
    expect(
      await failures(MARAC_INFORMATION_REQUEST_VIEW, {
        requestId: request.requestId,
        caseId,
        recipientMailboxId: 'school-990101-dsl',
        dueAt: request.dueAt,
        consent: { position: 'not-sought' },
      }),
    ).toEqual(['consent']);
  });
});
