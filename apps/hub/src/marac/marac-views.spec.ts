import { randomUUID } from 'node:crypto';
import path from 'node:path';

import {
  MARAC_ACTION_VIEW,
  MARAC_ESCALATION_VIEW,
  MARAC_INFORMATION_REQUEST_VIEW,
  MARAC_REFERRAL_DECISION_VIEW,
  MaracAction,
  MaracEscalation,
  MaracInformationRequest,
  MaracReferralDecision,
  MessageTypeDefinition,
} from '@app/contracts';
import { AgencyKind, evaluatePolicy, loadSharingPolicy } from '@app/policy';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

import {
  maracActionView,
  maracEscalationView,
  maracReferralDecisionView,
  maracRequestView,
} from './marac-views';

const policy = loadSharingPolicy(
  path.join(__dirname, '..', '..', '..', '..', 'deploy', 'policy', 'sharing-policy.json'),
);

/** The fields the policy file allows the MARAC to send a kind of member, as the hub asks. */
function fieldsFor(messageType: string, recipientKind: AgencyKind): string[] | undefined {
  const decision = evaluatePolicy(policy, {
    messageType,
    senderKind: 'marac',
    recipientKind,
    consent: 'not-sought',
    lawfulBasis: 'dpa2018-sch1-para18',
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    risk: 'high',
  });
  expect(decision.effect).toBe('allow');
  return decision.effect === 'allow' ? decision.fields : undefined;
}

/** As the recipient node validates it: unknown members refused. */
async function validAs(definition: MessageTypeDefinition, view: object): Promise<string[]> {
  const errors = await validate(plainToInstance(definition.body, view), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return errors.map((error) => error.property);
}

const terms = {
  consent: { position: 'not-sought' as const },
  lawfulBasis: 'dpa2018-sch1-para18' as const,
  safeguardingJustification: 'asking-would-put-someone-at-risk' as const,
  familyInformed: false,
};
const caseId = randomUUID();
const request: MaracInformationRequest = {
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
  // As if the MARAC had sent the school every child: the hub keeps its own pupils only.
  children: [
    { subjectRef: 'C-1', schoolUrn: '990101' },
    { subjectRef: 'C-2', schoolUrn: '990102' },
    { subjectRef: 'C-3' },
  ],
  criterion: 'visible-high-risk',
  dashTotal: 15,
  repeat: false,
};
const school = {
  id: 'school-990101-dsl',
  kind: 'designated-safeguarding-lead',
  externalRef: '990101',
};
const mash = { id: 'mash', kind: 'mash', externalRef: null };

describe("MARAC views with the policy file's rules", () => {
  it("gives a school the case's people and dates, its own pupils only, no DASH, criterion or sharing terms", async () => {
    const view = maracRequestView(
      request,
      fieldsFor('marac-information-request', 'education'),
      school,
    );
    expect(view).toEqual({
      requestId: request.requestId,
      caseId,
      recipientMailboxId: 'school-990101-dsl',
      dueAt: request.dueAt,
      meetingDate: '2026-03-19',
      meetingAt: '2026-03-19T10:00:00.000Z',
      victimRef: 'V-1234',
      perpetratorRef: 'P-1234',
      children: [{ subjectRef: 'C-1', schoolUrn: '990101' }],
    });
    expect(await validAs(MARAC_INFORMATION_REQUEST_VIEW, view)).toEqual([]);
  });

  it('gives other members every child with the risk that brought the case', async () => {
    const view = maracRequestView(
      { ...request, recipientMailboxId: 'mash' },
      fieldsFor('marac-information-request', 'social-care'),
      mash,
    );
    expect(view.children).toEqual(request.children);
    expect(view).toMatchObject({ criterion: 'visible-high-risk', dashTotal: 15, repeat: false });
    expect(view).not.toHaveProperty('consent');
    expect(await validAs(MARAC_INFORMATION_REQUEST_VIEW, view)).toEqual([]);
  });

  it('never forwards the sharing terms or the addressing, even under a rule without a field list', async () => {
    const view = maracRequestView(request, undefined, mash);
    for (const member of [
      'consent',
      'lawfulBasis',
      'safeguardingJustification',
      'familyInformed',
      'recipientAgencyId',
    ]) {
      expect(view).not.toHaveProperty(member);
    }
    expect(await validAs(MARAC_INFORMATION_REQUEST_VIEW, view)).toEqual([]);
  });

  it("gives an action's owner the action and who it is about; an escalation mailbox ids and times", async () => {
    const action: MaracAction = {
      ...terms,
      actionId: randomUUID(),
      caseId,
      recipientAgencyId: 'northshire-police',
      recipientMailboxId: 'police-safeguarding-hub',
      victimRef: 'V-1234',
      description: 'Flag the address',
      dueDate: '2026-03-26',
      dueAt: '2026-03-27T00:00:00.000Z',
    };
    const actionView = maracActionView(action, fieldsFor('marac-action', 'police'), {
      id: 'police-safeguarding-hub',
      kind: 'police-safeguarding',
      externalRef: null,
    });
    expect(Object.keys(actionView).sort()).toEqual(
      [
        'actionId',
        'caseId',
        'description',
        'dueAt',
        'dueDate',
        'recipientMailboxId',
        'victimRef',
      ].sort(),
    );
    expect(await validAs(MARAC_ACTION_VIEW, actionView)).toEqual([]);

    const escalation: MaracEscalation = {
      ...terms,
      caseId,
      about: 'information-request',
      overdueId: request.requestId,
      overdueAgencyId: 'northshire-education',
      overdueMailboxId: 'school-990102-dsl',
      dueAt: request.dueAt,
      escalatedAt: '2026-03-17T09:00:00.000Z',
      recipientMailboxId: 'education-escalation',
    };
    const escalationView = maracEscalationView(
      escalation,
      fieldsFor('marac-escalation', 'education'),
      { id: 'education-escalation', kind: 'escalation', externalRef: null },
    );
    expect(escalationView).toEqual({
      caseId,
      overdueId: request.requestId,
      recipientMailboxId: 'education-escalation',
      about: 'information-request',
      overdueAgencyId: 'northshire-education',
      overdueMailboxId: 'school-990102-dsl',
      dueAt: request.dueAt,
      escalatedAt: '2026-03-17T09:00:00.000Z',
    });
    expect(await validAs(MARAC_ESCALATION_VIEW, escalationView)).toEqual([]);
  });

  it("tells the referrer the listing or the refusal, without the MARAC's basis", async () => {
    const referralId = randomUUID();
    const police = {
      id: 'police-safeguarding-hub',
      kind: 'police-safeguarding',
      externalRef: null,
    };
    const fields = fieldsFor('marac-referral-decision', 'police');
    const listed: MaracReferralDecision = {
      referralId,
      decision: 'listed',
      caseId,
      meetingDate: '2026-03-19',
      meetingAt: '2026-03-19T10:00:00.000Z',
      decidedAt: '2026-03-02T09:00:00.000Z',
      lawfulBasis: 'dpa2018-sch1-para18',
    };
    const listedView = maracReferralDecisionView(listed, fields, police);
    expect(listedView).toEqual({
      referralId,
      decision: 'listed',
      recipientMailboxId: 'police-safeguarding-hub',
      caseId,
      meetingDate: '2026-03-19',
      meetingAt: '2026-03-19T10:00:00.000Z',
      decidedAt: '2026-03-02T09:00:00.000Z',
    });
    expect(await validAs(MARAC_REFERRAL_DECISION_VIEW, listedView)).toEqual([]);
    const refusedView = maracReferralDecisionView(
      {
        referralId,
        decision: 'refused',
        reasonCode: 'CRITERION_NOT_MET',
        reason: 'criterion: repeat needs a previous MARAC referral for the same victim',
        decidedAt: '2026-03-02T09:00:00.000Z',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      fields,
      police,
    );
    expect(refusedView).toEqual({
      referralId,
      decision: 'refused',
      recipientMailboxId: 'police-safeguarding-hub',
      reasonCode: 'CRITERION_NOT_MET',
      reason: 'criterion: repeat needs a previous MARAC referral for the same victim',
      decidedAt: '2026-03-02T09:00:00.000Z',
    });
    expect(await validAs(MARAC_REFERRAL_DECISION_VIEW, refusedView)).toEqual([]);
    // Even a rule without a field list forwards no basis.
    expect(maracReferralDecisionView(listed, undefined, police)).not.toHaveProperty('lawfulBasis');
  });
});
