import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

import { exchangeMessageTypes } from '../envelope/message-type-registry';
import {
  MISSING_EPISODE,
  MISSING_RISK_TO_POLICY_RISK,
  MissingEpisode,
  MissingPersonRiskGradings,
} from './missing-episode';
import { MISSING_EPISODE_VIEW } from './missing-episode-view';
import {
  RETURN_HOME_INTERVIEW_OUTCOME,
  RETURN_HOME_INTERVIEW_OUTCOME_VIEW,
  ReturnHomeInterviewOutcome,
} from './return-home-interview-outcome';

/** Every failing property path with its messages, as the hub and the node APIs name them. */
function problems<T extends object>(cls: new () => T, body: unknown): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  const walk = (errors: ValidationError[], prefix: string) => {
    for (const error of errors) {
      const path = `${prefix}${error.property}`;
      if (error.constraints) found[path] = Object.values(error.constraints);
      walk(error.children ?? [], `${path}.`);
    }
  };
  walk(
    validateSync(plainToInstance(cls, body) as object, {
      whitelist: true,
      forbidNonWhitelisted: true,
    }),
    '',
  );
  return found;
}

function episode(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    episodeId: '5b0e7a52-3f7c-4c53-9c1b-0d1a3f0b9e11',
    reporterMailboxId: 'police-missing-persons',
    reporterReference: 'NP-MISPER-0042',
    kind: 'from-care',
    child: { name: 'Sam Example', dateOfBirth: '2011-05-02', schoolUrn: '990102' },
    status: 'missing',
    startedAt: '2026-11-27T19:30:00Z',
    riskGrading: 'high',
    exploitationIndicators: ['county-lines'],
    episodesInLast90Days: 3,
    circumstances: 'Did not return to the children’s home after school',
    consent: { position: 'not-sought' },
    lawfulBasis: 'dpa2018-sch8-para4',
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    familyInformed: false,
    ...change,
  };
}

function rhi(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    episodeId: '5b0e7a52-3f7c-4c53-9c1b-0d1a3f0b9e11',
    outcome: 'held',
    heldAt: '2026-11-29T10:00:00Z',
    conductedBy: { by: 'commissioned-provider', providerName: 'Northshire Return Interviews' },
    exploitationDisclosed: ['child-criminal-exploitation'],
    concerns: 'Older youths pay for errands',
    childsAccount: 'I went to my friend’s flat',
    nextSteps: 'Strategy discussion on Monday',
    lawfulBasis: 'dpa2018-sch1-para18',
    recordedAt: '2026-11-29T12:00:00Z',
    ...change,
  };
}

describe('missing-episode contract', () => {
  it('accepts a missing report and a found report', () => {
    expect(problems(MissingEpisode, episode())).toEqual({});
    expect(
      problems(MissingEpisode, episode({ status: 'found', foundAt: '2026-11-28T08:00:00Z' })),
    ).toEqual({});
  });

  it('accepts a child educated at home without a URN', () => {
    expect(
      problems(
        MissingEpisode,
        episode({ child: { name: 'A', dateOfBirth: '2012-01-01', educatedAtHome: true } }),
      ),
    ).toEqual({});
  });

  it('requires foundAt when found, refuses it while missing, and refuses it before startedAt', () => {
    expect(Object.keys(problems(MissingEpisode, episode({ status: 'found' })))).toEqual([
      'foundAt',
    ]);
    expect(problems(MissingEpisode, episode({ foundAt: '2026-11-28T08:00:00Z' })).foundAt).toEqual([
      'foundAt is given only when status is found',
    ]);
    expect(
      problems(MissingEpisode, episode({ status: 'found', foundAt: '2026-11-27T19:00:00Z' }))
        .foundAt,
    ).toEqual(['foundAt must not be before startedAt']);
  });

  it('names every invalid field, nested ones by their path', () => {
    const found = problems(
      MissingEpisode,
      episode({
        episodeId: 'NP-1',
        kind: 'from-school',
        child: { name: '', dateOfBirth: '2011-13-40' },
        riskGrading: 'standard',
        exploitationIndicators: ['gangs', 'county-lines', 'county-lines'],
        episodesInLast90Days: -1,
        consent: { position: 'given' },
        lawfulBasis: 'because',
        familyInformed: 'no',
        reporterMailboxId: '',
        surprise: true,
      }),
    );
    expect(Object.keys(found).sort()).toEqual(
      [
        'child.dateOfBirth',
        'child.name',
        'child.schoolUrn',
        'consent.at',
        'consent.by',
        'episodeId',
        'episodesInLast90Days',
        'exploitationIndicators',
        'familyInformed',
        'kind',
        'lawfulBasis',
        'reporterMailboxId',
        'riskGrading',
        'surprise',
      ].sort(),
    );
    expect(found.exploitationIndicators.join(' ')).toMatch(/unique/);
  });

  it('maps every missing-person risk grading onto a policy risk level', () => {
    expect(MissingPersonRiskGradings.map((g) => MISSING_RISK_TO_POLICY_RISK[g])).toEqual([
      'standard',
      'standard',
      'medium',
      'high',
    ]);
  });

  it('is registered with its views and the return home interview outcome', () => {
    const registry = exchangeMessageTypes();
    for (const definition of [
      MISSING_EPISODE,
      MISSING_EPISODE_VIEW,
      RETURN_HOME_INTERVIEW_OUTCOME,
      RETURN_HOME_INTERVIEW_OUTCOME_VIEW,
    ]) {
      expect(registry.find(definition.type, 1)).toBe(definition);
    }
  });
});

describe('missing-episode-view contract', () => {
  it('takes a minimised view with the fields the hub adds, and nothing unknown', () => {
    const view = {
      recipientMailboxId: 'school-990102-dsl',
      acknowledgeBy: '2026-11-28T08:30:00.000Z',
      episodeId: '5b0e7a52-3f7c-4c53-9c1b-0d1a3f0b9e11',
      reportNumber: 2,
      child: { name: 'Sam Example', dateOfBirth: '2011-05-02' },
      status: 'found',
    };
    expect(problems(MISSING_EPISODE_VIEW.body, view)).toEqual({});
    expect(Object.keys(problems(MISSING_EPISODE_VIEW.body, { ...view, reportNumber: 0 }))).toEqual([
      'reportNumber',
    ]);
    expect(Object.keys(problems(MISSING_EPISODE_VIEW.body, { ...view, adults: [] }))).toEqual([
      'adults',
    ]);
  });
});

describe('return-home-interview-outcome contract', () => {
  it('accepts a held interview and a declined one', () => {
    expect(problems(ReturnHomeInterviewOutcome, rhi())).toEqual({});
    expect(
      problems(
        ReturnHomeInterviewOutcome,
        rhi({
          outcome: 'declined',
          heldAt: undefined,
          reasonNotHeld: 'The young person declined twice',
          conductedBy: { by: 'social-care' },
        }),
      ),
    ).toEqual({});
  });

  it('requires heldAt when held and a reason when not, and refuses the other way round', () => {
    expect(Object.keys(problems(ReturnHomeInterviewOutcome, rhi({ heldAt: undefined })))).toEqual([
      'heldAt',
    ]);
    expect(
      Object.keys(problems(ReturnHomeInterviewOutcome, rhi({ outcome: 'not-possible' }))).sort(),
    ).toEqual(['heldAt', 'reasonNotHeld']);
    expect(
      problems(ReturnHomeInterviewOutcome, rhi({ reasonNotHeld: 'n/a' })).reasonNotHeld,
    ).toEqual(['reasonNotHeld is given only when outcome is declined or not-possible']);
  });

  it("requires the provider's name for a commissioned provider, and only then", () => {
    expect(
      Object.keys(
        problems(ReturnHomeInterviewOutcome, rhi({ conductedBy: { by: 'commissioned-provider' } })),
      ),
    ).toEqual(['conductedBy.providerName']);
    expect(
      Object.keys(
        problems(
          ReturnHomeInterviewOutcome,
          rhi({ conductedBy: { by: 'social-care', providerName: 'X' } }),
        ),
      ),
    ).toEqual(['conductedBy.providerName']);
  });

  it('names every invalid field', () => {
    const found = problems(
      ReturnHomeInterviewOutcome,
      rhi({
        episodeId: 'x',
        outcome: 'maybe',
        exploitationDisclosed: ['gangs'],
        nextSteps: '',
        lawfulBasis: 'x',
      }),
    );
    expect(Object.keys(found).sort()).toEqual(
      [
        'episodeId',
        'exploitationDisclosed',
        // An outcome other than held needs a reason, and held is the only one with heldAt.
        'heldAt',
        'reasonNotHeld',
        'lawfulBasis',
        'nextSteps',
        'outcome',
      ].sort(),
    );
  });
});
