import { AuditActions } from '@app/contracts';

import { TrailRowJson } from './audit-json';
import { ACTION_WORDS, trailEventWords, TrailNames } from './trail-words';

const names: TrailNames = {
  agency: (id) => ({ 'northshire-police': 'Northshire Police' })[id ?? ''] ?? `${id}?`,
  mailboxOf: (id, agency) =>
    `${{ mash: 'Northshire MASH' }[id ?? ''] ?? id}${agency ? ` (${agency})` : ''}`,
  actor: (node) => (node === 'hub' ? 'The exchange' : `${node} agency`),
};

const row = (overrides: Partial<TrailRowJson>): TrailRowJson => ({
  seq: 1,
  eventId: 'e',
  action: 'submitted',
  actor: 'hub',
  occurredAt: '2026-12-03T09:05:00.000Z',
  ...overrides,
});

describe('a trail row in words', () => {
  it('says a sharing decision with the recipient by name, the rule and the basis in words', () => {
    expect(
      trailEventWords(
        row({
          action: 'policy-decision',
          recipientMailbox: 'mash',
          decision: 'allow-with-fields',
          ruleId: 'police-to-mash',
          policyVersion: '2026.3',
          detail:
            'family informed: no; shared under safeguarding; basis dpa2018-sch8-para4; consent not-sought',
        }),
        names,
      ),
    ).toEqual({
      title: 'Sharing decision for Northshire MASH: shared, with only the fields the rule allows',
      by: 'The exchange',
      lines: [
        'Rule police-to-mash of policy version 2026.3.',
        'Lawful basis: Data Protection Act 2018, Schedule 8 paragraph 4 (law enforcement). Consent was not sought. The family was not told.',
      ],
    });
  });

  it('tells the recipient node’s receipt from the exchange passing it back', () => {
    expect(
      trailEventWords(
        row({ action: 'delivered', actor: 'social-care', recipientMailbox: 'mash' }),
        names,
      ).title,
    ).toBe('Delivered to Northshire MASH');
    expect(trailEventWords(row({ action: 'acknowledged', actor: 'hub' }), names).title).toBe(
      'Acknowledgement passed back to the sender',
    );
  });

  it('says where a delivery went, as which view, and by when it is to be acknowledged (UK time)', () => {
    const words = trailEventWords(
      row({
        action: 'routed',
        recipientMailbox: 'mash',
        messageType: 'uk.safeguarding.exchange.domestic-abuse-notification-view',
        deadline: '2026-12-04T08:00:00.000Z',
      }),
      names,
    );
    expect(words.title).toBe('Sent to Northshire MASH');
    expect(words.lines).toEqual([
      'As Domestic abuse notification (Operation Encompass) (the recipient’s view).',
      'To be acknowledged by 4 December 2026 at 8:00am.',
    ]);
  });

  it('has words for every action the trail records', () => {
    for (const action of AuditActions) {
      expect({ action, words: ACTION_WORDS[action] ?? null }).toEqual({
        action,
        words: expect.any(String),
      });
    }
  });

  it('says a correction with who sent it and what the exchange counted', () => {
    const words = trailEventWords(
      row({
        action: 'corrected',
        senderNode: 'police',
        detail: 'correction 1 (amend): 3 holder(s), 0 new recipient(s), 0 told not for them',
      }),
      names,
    );
    expect(words.title).toBe('Correction of this message sent by police agency');
    expect(words.lines).toEqual([
      'The exchange recorded: correction 1 (amend): 3 holder(s), 0 new recipient(s), 0 told not for them.',
    ]);
  });
});
