import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { DOMESTIC_ABUSE_NOTIFICATION } from '../domestic-abuse-notification/domestic-abuse-notification';
import { ENCOMPASS_VIEW } from '../domestic-abuse-notification/encompass-view';
import { exchangeMessageTypes } from '../envelope/message-type-registry';
import { CORRECTION, Correction } from './correction';
import { CORRECTION_ROUTED } from './correction-routed';
import { CORRECTION_VIEW, CorrectionView } from './correction-view';

const STRICT = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/** Failing property paths with their messages, as the node's 400 and the hub's rejection name them. */
function problems(cls: new () => object, body: unknown): Record<string, string> {
  return Object.fromEntries(
    validateSync(plainToInstance(cls, body) as object, STRICT).map((error) => [
      error.property,
      Object.values(error.constraints ?? {}).join('; '),
    ]),
  );
}

const notification = {
  policeReference: 'NP-0001',
  occurredAt: '2026-03-01T18:30:00Z',
  location: '12 Example Road',
  child: { name: 'A Child', dateOfBirth: '2016-02-03', schoolUrn: '123456', presence: 'present' },
  riskLevel: 'medium',
  circumstances: 'Argument between adults at home',
  actionsTaken: 'Suspect arrested',
  consent: { position: 'not-sought' },
  safeguardingJustification: 'asking-would-put-someone-at-risk',
  lawfulBasis: 'dpa2018-sch8-para4',
  familyInformed: false,
};

const amended: Correction = {
  originalMessageId: '5b0e7a52-3f7c-4c53-9c1b-0d1a3f0b9e11',
  kind: 'amended',
  reason: 'wrong date of birth',
  correctedAt: '2026-03-02T09:00:00Z',
  correctedType: DOMESTIC_ABUSE_NOTIFICATION.type,
  corrected: notification,
};

describe('the correction contracts', () => {
  it('are registered, so the hub verifies them and nodes open them', () => {
    const registry = exchangeMessageTypes();
    for (const definition of [CORRECTION, CORRECTION_VIEW, CORRECTION_ROUTED]) {
      expect(registry.find(definition.type, 1)).toBe(definition);
    }
  });

  it('hold an amendment to the schema of the message it corrects, naming the failing field', () => {
    expect(problems(Correction, amended)).toEqual({});
    const wrong = problems(Correction, {
      ...amended,
      corrected: { ...notification, child: { ...notification.child, dateOfBirth: '31/02/2016' } },
    });
    expect(Object.keys(wrong)).toEqual(['corrected']);
    expect(wrong.corrected).toContain('child.dateOfBirth');
    // An unknown member of the corrected message is refused, as in the original.
    expect(
      Object.keys(problems(Correction, { ...amended, corrected: { ...notification, x: 1 } })),
    ).toEqual(['corrected']);
    // Only the correctable types: a receipt or a MARAC message cannot be "corrected".
    expect(Object.keys(problems(Correction, { ...amended, correctedType: 'x' }))).toContain(
      'correctedType',
    );
  });

  it('a withdrawal carries the reason only, never a message', () => {
    const withdrawn = {
      originalMessageId: amended.originalMessageId,
      kind: 'withdrawn',
      reason: 'allegation withdrawn',
      correctedAt: amended.correctedAt,
    };
    expect(problems(Correction, withdrawn)).toEqual({});
    expect(Object.keys(problems(Correction, { ...withdrawn, corrected: notification }))).toEqual([
      'corrected',
    ]);
    expect(Object.keys(problems(Correction, { ...amended, corrected: undefined }))).toEqual([
      'corrected',
    ]);
  });

  it('a recipient’s view: amended with its own view of the corrected message; a notice with none', () => {
    const schoolView = {
      policeReference: 'NP-0001',
      occurredAt: notification.occurredAt,
      location: notification.location,
      child: notification.child,
      circumstances: notification.circumstances,
      recipientMailboxId: 'school-123456-dsl',
      acknowledgeBy: '2026-03-03T08:30:00Z',
    };
    const view: CorrectionView = {
      correctionId: '0c9f3a44-5d2e-4b8a-9f7e-2a1b3c4d5e6f',
      originalMessageId: amended.originalMessageId,
      kind: 'amended',
      reason: 'wrong date of birth',
      correctedAt: amended.correctedAt,
      correctionNumber: 1,
      recipientMailboxId: 'school-123456-dsl',
      acknowledgeBy: '2026-03-03T08:30:00Z',
      correctedType: ENCOMPASS_VIEW.type,
      corrected: schoolView,
    };
    expect(problems(CorrectionView, view)).toEqual({});
    // The corrected view holds no more than the view contract: a field no rule gives anyone is
    // refused (which of the contract's fields a school gets is the policy's to decide).
    expect(
      Object.keys(
        problems(CorrectionView, { ...view, corrected: { ...schoolView, suspectName: 'x' } }),
      ),
    ).toEqual(['corrected']);
    const { correctedType: _type, corrected: _corrected, ...notice } = view;
    expect(problems(CorrectionView, { ...notice, kind: 'not-for-recipient' })).toEqual({});
    expect(Object.keys(problems(CorrectionView, { ...view, kind: 'not-for-recipient' }))).toEqual([
      'corrected',
    ]);
    expect(Object.keys(problems(CorrectionView, { ...view, correctionNumber: 0 }))).toEqual([
      'correctionNumber',
    ]);
  });
});
