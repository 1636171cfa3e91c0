import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { MessageTypeDefinition, REFERRAL, TEST_NOTICE } from '@app/contracts';

import { RoutesSubmission, SubmissionRoute } from './submission-route';
import { SubmissionRoutes } from './submission-routes.service';

const referral = REFERRAL as MessageTypeDefinition<object>;
const notice = TEST_NOTICE as MessageTypeDefinition<object>;

@Injectable()
@RoutesSubmission(referral)
class RoutesReferrals implements SubmissionRoute {
  execute = jest.fn(() => Promise.resolve());
}

@Injectable()
@RoutesSubmission(notice)
class RoutesNotices implements SubmissionRoute {
  execute = jest.fn(() => Promise.resolve());
}

@Injectable()
@RoutesSubmission(referral)
class RoutesReferralsAgain implements SubmissionRoute {
  execute = jest.fn(() => Promise.resolve());
}

@Injectable()
class NotARoute {}

async function routesOf(providers: unknown[]): Promise<SubmissionRoutes> {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [SubmissionRoutes, ...(providers as [])],
  }).compile();
  await module.init();
  return module.get(SubmissionRoutes);
}

describe('SubmissionRoutes', () => {
  it('finds each route by the type it declares, and nothing undeclared', async () => {
    const routes = await routesOf([RoutesReferrals, RoutesNotices, NotARoute]);
    expect(routes.types().sort()).toEqual([REFERRAL.type, TEST_NOTICE.type].sort());
    expect(routes.for(REFERRAL.type)).toBeInstanceOf(RoutesReferrals);
    expect(routes.for('uk.example.unrouted')).toBeUndefined();
  });

  it('refuses to start with two routes for one type', async () => {
    await expect(routesOf([RoutesReferrals, RoutesReferralsAgain])).rejects.toThrow(
      `two routes for submission type ${REFERRAL.type}`,
    );
  });
});
