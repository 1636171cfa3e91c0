import { randomUUID } from 'node:crypto';

/**
 * Request bodies each node accepts as they are (202), for tests that change one thing at a time
 * and expect exactly that change refused. Fresh ids on every call.
 */
export const validBodies = {
  /** One child witnessing; `child` replaces any of the child's own details. */
  incident: (child: Record<string, unknown> = {}): Record<string, unknown> => ({
    policeReference: `NP-${randomUUID().slice(0, 8)}`,
    occurredAt: new Date(Date.now() - 3600_000).toISOString(),
    location: '12 Example Road, Northtown',
    children: [
      {
        name: 'Alex Testperson',
        dateOfBirth: '2016-04-12',
        schoolUrn: '990101',
        presence: 'witnessing',
        voiceOfChild: 'Hid upstairs',
        ...child,
      },
    ],
    riskLevel: 'high',
    circumstances: 'Child witnessed an argument between adults at home',
    actionsTaken: 'Suspect arrested; investigation ongoing',
    consent: { position: 'not-sought' },
    lawfulBasis: 'dpa2018-sch8-para4',
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    familyInformed: false,
  }),
  missingEpisode: (): Record<string, unknown> => ({
    episodeId: randomUUID(),
    reporterMailboxId: 'police-safeguarding-hub',
    reporterReference: `NP-MISPER-${randomUUID().slice(0, 4)}`,
    kind: 'from-care',
    child: { name: 'Sam Example', dateOfBirth: '2011-05-02', schoolUrn: '990102' },
    status: 'missing',
    startedAt: new Date(Date.now() - 7200_000).toISOString(),
    riskGrading: 'high',
    exploitationIndicators: ['county-lines'],
    episodesInLast90Days: 3,
    circumstances: 'Did not return to the home after school',
    consent: { position: 'not-sought' },
    lawfulBasis: 'dpa2018-sch8-para4',
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    familyInformed: false,
  }),
  referral: (): Record<string, unknown> => ({
    child: {
      name: 'Child Testperson',
      dateOfBirth: '2015-04-12',
      gender: 'female',
      schoolOrSetting: 'Test school',
    },
    family: [{ name: 'Parent Testperson', relationship: 'mother' }],
    concerns: 'Repeated unexplained bruising; child says she is afraid to go home',
    actionsTaken: 'Spoke with the child; informed the head teacher',
    referrerContact: { name: 'A. Teacher', role: 'Designated safeguarding lead' },
    riskLevel: 'high',
    consent: { position: 'given', by: 'Parent Testperson', at: new Date().toISOString() },
    lawfulBasis: 'dpa2018-sch1-para18',
    familyInformed: true,
  }),
  consentWithdrawal: (): Record<string, unknown> => ({
    subjectRef: randomUUID(),
    withdrawnAt: new Date(Date.now() - 60_000).toISOString(),
    withdrawnBy: 'Parent Testperson',
  }),
};
