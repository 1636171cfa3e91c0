import type { MailboxMessage } from '@app/node';

import { MailboxEntry } from '../node-api/area-directory.service';
import { notificationAction } from './notification-action';

const mash: MailboxEntry = { id: 'mash', nodeId: 'social-care', kind: 'mash', displayName: 'MASH' };
const school: MailboxEntry = {
  id: 'school-1-dsl',
  nodeId: 'education',
  kind: 'designated-safeguarding-lead',
  displayName: 'School',
};
const message = (type: string, notification: Record<string, unknown>) =>
  ({ type: `uk.safeguarding.exchange.${type}`, notification }) as unknown as MailboxMessage;

describe('what a person can do with a notification', () => {
  it('lets the MASH decide on a referral, with the referral the view holds', () => {
    expect(notificationAction(mash, message('referral-view', { referralId: 'r-1' }))).toEqual({
      kind: 'referral-decision',
      referralId: 'r-1',
    });
  });

  it('lets social care record a return home interview once the child is found', () => {
    const episode = { episodeId: 'e-1', status: 'missing' };
    expect(notificationAction(mash, message('missing-episode-view', episode))).toEqual({
      kind: 'return-home-interview',
      episodeId: 'e-1',
      found: false,
    });
    expect(
      notificationAction(mash, message('missing-episode-view', { ...episode, status: 'found' })),
    ).toMatchObject({ found: true });
  });

  it('offers a school neither', () => {
    expect(notificationAction(school, message('referral-view', { referralId: 'r-1' }))).toBeNull();
    expect(
      notificationAction(school, message('missing-episode-view', { episodeId: 'e-1' })),
    ).toBeNull();
  });
});
