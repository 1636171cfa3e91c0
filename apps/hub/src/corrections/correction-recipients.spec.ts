import { correctionTargets, currentHolders, HoldingEvent } from './correction-recipients';

const original: HoldingEvent[] = [
  { mailboxId: 'school-1111111-dsl', deliveryId: 'd-school', role: 'original' },
  { mailboxId: 'school-nursing', deliveryId: 'd-nursing', role: 'original' },
  { mailboxId: 'mash', deliveryId: 'd-mash', role: 'original' },
];

describe('whom a correction reaches', () => {
  it('holds the message where it was delivered, and nowhere else', () => {
    expect(currentHolders(original)).toEqual([
      { mailboxId: 'school-1111111-dsl', messageId: 'd-school' },
      { mailboxId: 'school-nursing', messageId: 'd-nursing' },
      { mailboxId: 'mash', messageId: 'd-mash' },
    ]);
  });

  it('a withdrawal reaches exactly the holders, each naming its own message', () => {
    expect(correctionTargets('withdrawn', currentHolders(original), ['anyone-else'])).toEqual([
      {
        mailboxId: 'school-1111111-dsl',
        role: 'recipient',
        viewKind: 'withdrawn',
        originalMessageId: 'd-school',
      },
      {
        mailboxId: 'school-nursing',
        role: 'recipient',
        viewKind: 'withdrawn',
        originalMessageId: 'd-nursing',
      },
      { mailboxId: 'mash', role: 'recipient', viewKind: 'withdrawn', originalMessageId: 'd-mash' },
    ]);
  });

  it('an amendment with the same recipients reaches the holders only', () => {
    const targets = correctionTargets('amended', currentHolders(original), [
      'mash',
      'school-1111111-dsl',
      'school-nursing',
    ]);
    expect(targets.map((t) => [t.mailboxId, t.role, t.viewKind])).toEqual([
      ['school-1111111-dsl', 'recipient', 'amended'],
      ['school-nursing', 'recipient', 'amended'],
      ['mash', 'recipient', 'amended'],
    ]);
  });

  it('a changed school: the old school is told it was not for them, the new one gets the notification', () => {
    const targets = correctionTargets('amended', currentHolders(original), [
      'mash',
      'school-2222222-dsl',
      'school-nursing',
    ]);
    expect(targets).toEqual([
      {
        mailboxId: 'school-1111111-dsl',
        role: 'not-for-recipient',
        viewKind: 'not-for-recipient',
        originalMessageId: 'd-school',
      },
      {
        mailboxId: 'school-nursing',
        role: 'recipient',
        viewKind: 'amended',
        originalMessageId: 'd-nursing',
      },
      { mailboxId: 'mash', role: 'recipient', viewKind: 'amended', originalMessageId: 'd-mash' },
      { mailboxId: 'school-2222222-dsl', role: 'new-recipient', viewKind: 'notification' },
    ]);
  });

  it('after a school change the new school holds the message and the old one does not', () => {
    const history: HoldingEvent[] = [
      ...original,
      { mailboxId: 'school-1111111-dsl', deliveryId: 'c1-old', role: 'not-for-recipient' },
      { mailboxId: 'school-nursing', deliveryId: 'c1-nursing', role: 'recipient' },
      { mailboxId: 'mash', deliveryId: 'c1-mash', role: 'recipient' },
      { mailboxId: 'school-2222222-dsl', deliveryId: 'c1-new', role: 'new-recipient' },
    ];
    expect(currentHolders(history)).toEqual([
      // A holder keeps the id its inbox knows the message by; a new one, its notification's.
      { mailboxId: 'school-nursing', messageId: 'd-nursing' },
      { mailboxId: 'mash', messageId: 'd-mash' },
      { mailboxId: 'school-2222222-dsl', messageId: 'c1-new' },
    ]);
    // Moved back: the old school is a new recipient again, under a new notification.
    const back = [
      ...history,
      { mailboxId: 'school-2222222-dsl', deliveryId: 'c2-new', role: 'not-for-recipient' as const },
      { mailboxId: 'school-1111111-dsl', deliveryId: 'c2-old', role: 'new-recipient' as const },
    ];
    expect(currentHolders(back).map((h) => h.mailboxId)).toEqual([
      'school-nursing',
      'mash',
      'school-1111111-dsl',
    ]);
  });

  it('no recipient is invented: nobody holds it, nobody is told of a withdrawal', () => {
    expect(correctionTargets('withdrawn', [], ['mash'])).toEqual([]);
  });
});
