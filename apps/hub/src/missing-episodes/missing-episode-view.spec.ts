import path from 'node:path';

import { MISSING_EPISODE_VIEW, MissingEpisode } from '@app/contracts';
import { evaluatePolicy, loadSharingPolicy, SharingRequest } from '@app/policy';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { missingEpisodeView } from './missing-episode-view';

const policy = loadSharingPolicy(
  path.join(__dirname, '..', '..', '..', '..', 'deploy', 'policy', 'sharing-policy.json'),
);

const episode: MissingEpisode = {
  episodeId: '0c0d7cf3-1a3b-4a4e-9d0c-5d3f0e7b2a11',
  reporterMailboxId: 'police-missing-persons',
  reporterReference: 'NP-MISPER-77',
  kind: 'from-care',
  child: { name: 'Robin Example', dateOfBirth: '2012-03-04', schoolUrn: '990102' },
  status: 'found',
  startedAt: '2026-11-27T19:30:00.000Z',
  foundAt: '2026-11-28T07:10:00.000Z',
  riskGrading: 'high',
  exploitationIndicators: ['county-lines', 'child-criminal-exploitation'],
  episodesInLast90Days: 4,
  circumstances: 'Found at a flat in another town with older youths',
  consent: { position: 'not-sought' },
  lawfulBasis: 'dpa2018-sch8-para4',
  safeguardingJustification: 'asking-would-put-someone-at-risk',
  familyInformed: false,
};

function viewFor(recipientKind: SharingRequest['recipientKind']) {
  const decision = evaluatePolicy(policy, {
    messageType: 'missing-episode',
    senderKind: 'police',
    recipientKind,
    consent: 'not-sought',
    lawfulBasis: 'dpa2018-sch8-para4',
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    risk: 'high',
  });
  if (decision.effect !== 'allow') throw new Error(`refused: ${decision.ruleId}`);
  return missingEpisodeView(episode, decision.fields, {
    recipientMailboxId: 'box',
    acknowledgeBy: new Date('2026-11-29T08:30:00Z'),
    reportNumber: 2,
  });
}

const added = {
  recipientMailboxId: 'box',
  acknowledgeBy: '2026-11-29T08:30:00.000Z',
  episodeId: episode.episodeId,
  reportNumber: 2,
};

const schoolSet = {
  ...added,
  reporterReference: 'NP-MISPER-77',
  kind: 'from-care',
  child: { name: 'Robin Example', dateOfBirth: '2012-03-04' },
  status: 'found',
  startedAt: episode.startedAt,
  foundAt: episode.foundAt,
  riskGrading: 'high',
  exploitationIndicators: ['county-lines', 'child-criminal-exploitation'],
  episodesInLast90Days: 4,
};

describe("a missing episode's views, minimised by the policy file", () => {
  it('gives the school the episode and the exploitation indicators, nothing more', () => {
    expect(viewFor('education')).toEqual(schoolSet);
  });

  it('gives health the same set', () => {
    expect(viewFor('health')).toEqual(schoolSet);
  });

  it('gives the MASH the whole report', () => {
    expect(viewFor('social-care')).toEqual({ ...episode, ...added });
  });

  it.each(['education', 'health', 'social-care'] as const)(
    "builds a view the %s node's contract accepts",
    (kind) => {
      const errors = validateSync(plainToInstance(MISSING_EPISODE_VIEW.body, viewFor(kind)), {
        whitelist: true,
        forbidNonWhitelisted: true,
      });
      expect(errors).toEqual([]);
    },
  );
});
