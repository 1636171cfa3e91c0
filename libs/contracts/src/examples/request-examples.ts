/**
 * One complete, valid request body per endpoint that takes one, shown in each service's OpenAPI
 * document (/docs) so an integrator starts from something the API accepts. The OpenAPI test
 * validates every example against its DTO, so an example cannot go stale. Fictional people,
 * references and places only; times fixed in the past.
 */

const SHARING_UNDER_SAFEGUARDING = {
  consent: { position: 'not-sought' },
  lawfulBasis: 'dpa2018-sch8-para4',
  safeguardingJustification: 'asking-would-put-someone-at-risk',
  familyInformed: false,
} as const;

const DASH_15_YES = Array.from({ length: 24 }, (_, index) => (index < 15 ? 'yes' : 'no'));

/** The incident of the examples; the correction example amends it. */
const INCIDENT = {
  policeReference: 'NP-2026-031904',
  occurredAt: '2026-03-02T21:40:00Z',
  location: '12 Example Road, Northtown',
  children: [
    {
      name: 'Alex Example',
      dateOfBirth: '2016-04-12',
      schoolUrn: '990101',
      presence: 'witnessing',
      voiceOfChild: 'Hid upstairs with her brother',
    },
  ],
  riskLevel: 'high',
  circumstances: 'Argument between adults at home; the child was present throughout',
  actionsTaken: 'Suspect arrested; investigation ongoing',
  ...SHARING_UNDER_SAFEGUARDING,
};

/** An OpenAPI `examples` map with a single named example. */
const example = (summary: string, value: object) => ({ example: { summary, value } });

export const RequestExamples = {
  incident: example('A domestic abuse incident with one child present', INCIDENT),
  missingEpisode: example('A child reported missing from care', {
    episodeId: '6f1c2b7e-3a4d-4e5f-9a0b-1c2d3e4f5a6b',
    reporterMailboxId: 'police-safeguarding-hub',
    reporterReference: 'NP-MISPER-0412',
    kind: 'from-care',
    child: { name: 'Sam Example', dateOfBirth: '2011-05-02', schoolUrn: '990102' },
    status: 'missing',
    startedAt: '2026-03-02T16:30:00Z',
    riskGrading: 'high',
    exploitationIndicators: ['county-lines'],
    episodesInLast90Days: 3,
    circumstances: 'Did not return to the home after school',
    ...SHARING_UNDER_SAFEGUARDING,
  }),
  consentWithdrawal: example('A parent withdraws the consent given for a referral', {
    subjectRef: '2b7d9c1e-5f3a-4c6b-8d0e-9a1b2c3d4e5f',
    withdrawnAt: '2026-03-03T09:15:00Z',
    withdrawnBy: 'Jo Example (mother)',
    note: 'Told the school office by telephone',
  }),
  referral: example('A school refers a child to the MASH', {
    child: {
      name: 'Casey Example',
      dateOfBirth: '2015-04-12',
      gender: 'female',
      schoolOrSetting: 'Hillside Primary School',
    },
    family: [{ name: 'Jo Example', relationship: 'mother' }],
    concerns: 'Repeated unexplained bruising; the child says she is afraid to go home',
    actionsTaken: 'Spoke with the child; informed the head teacher',
    referrerContact: { name: 'Dana Shaw', role: 'Designated safeguarding lead' },
    riskLevel: 'high',
    consent: { position: 'given', by: 'Jo Example', at: '2026-03-02T15:05:00Z' },
    lawfulBasis: 'dpa2018-sch1-para18',
    familyInformed: true,
  }),
  referralOutcome: example('The MASH decides on a referral', {
    outcome: 'child-in-need-assessment',
    nextSteps: 'Assessment allocated to the north team; the school will be contacted this week',
  }),
  returnHomeInterview: example('The return home interview was held', {
    outcome: 'held',
    heldAt: '2026-03-04T14:00:00Z',
    conductedBy: { by: 'commissioned-provider', providerName: 'Northshire Return Interviews' },
    exploitationDisclosed: ['county-lines'],
    concerns: 'Pressured to carry packages by older youths',
    childsAccount: 'They said I owed them money',
    nextSteps: 'Strategy discussion; referral to the exploitation panel',
    lawfulBasis: 'dpa2018-sch1-para18',
  }),
  maracReferralSubmission: example('The police refer a high-risk case to the MARAC', {
    referringAgencyId: 'northshire-police',
    referrerMailboxId: 'police-safeguarding-hub',
    victimRef: '4c8e1a2b-6d3f-4a5b-9c0d-1e2f3a4b5c6d',
    perpetratorRef: '7e2a9b1c-3d4f-4b6a-8c0d-2e3f4a5b6c7d',
    children: [{ subjectRef: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', schoolUrn: '990101' }],
    criterion: 'visible-high-risk',
    dashAnswers: DASH_15_YES,
    ...SHARING_UNDER_SAFEGUARDING,
  }),
  maracReferralDetails: example('The coordinator enters a referral made to the MARAC', {
    referringAgencyId: 'northshire-police',
    victimRef: '4c8e1a2b-6d3f-4a5b-9c0d-1e2f3a4b5c6d',
    perpetratorRef: '7e2a9b1c-3d4f-4b6a-8c0d-2e3f4a5b6c7d',
    criterion: 'visible-high-risk',
    dashAnswers: DASH_15_YES,
    ...SHARING_UNDER_SAFEGUARDING,
  }),
  maracResearch: example('An agency answers the MARAC research request', {
    victimInvolvement: { facts: 'Known to us since 2024.', opinion: 'Engages when seen alone.' },
    perpetratorInvolvement: { facts: 'Two call-outs recorded.' },
    childrenInvolvement: [
      { subjectRef: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', facts: 'Attendance fell in February.' },
    ],
    knownRisks: { facts: 'Threats to kill reported in January.', opinion: 'Escalating.' },
    currentActions: 'Safety planning with the victim.',
    contact: 'Safeguarding team, secure email via the exchange',
  }),
  maracActionProgress: example('An owner agency reports progress on a MARAC action', {
    status: 'in-progress',
    note: 'Home visit booked for Friday with the IDVA',
  }),
  maracActions: example('The meeting records two actions', {
    actions: [
      {
        ownerAgencyId: 'northshire-police',
        description: 'Flag the address for a priority response',
        dueDate: '2026-03-12',
      },
      {
        ownerAgencyId: 'northshire-education',
        description: 'Daily check-in with the children at school',
        dueDate: '2026-03-09',
      },
    ],
  }),
  correction: {
    amended: {
      summary: 'The police correct the child’s date of birth in an incident they sent',
      value: {
        originalMessageId: '3c1d5e7f-9a2b-4c6d-8e0f-1a2b3c4d5e6f',
        kind: 'amended',
        reason: 'Wrong date of birth',
        correctedAt: '2026-03-03T08:30:00Z',
        corrected: {
          ...INCIDENT,
          children: [{ ...INCIDENT.children[0], dateOfBirth: '2016-04-21' }],
        },
      },
    },
    withdrawn: {
      summary: 'The police withdraw an incident sent in error',
      value: {
        originalMessageId: '3c1d5e7f-9a2b-4c6d-8e0f-1a2b3c4d5e6f',
        kind: 'withdrawn',
        reason: 'Sent about the wrong family',
      },
    },
  },
} as const;
