/**
 * Finding 6 of issue 12: one agency's system could act for another on a node. Every node endpoint
 * open to `agency-system` now requires the token's agency to be the node's own agency, read from
 * the registry's entry for the node. The endpoints are read from each app's routes, so a new one
 * cannot be missed. Real: each node app as main.ts builds it (guards, pipes, filters) on the real
 * database, driven in-process; bearer tokens from a test issuer over HTTP; the registry entries
 * from a hub stand-in over HTTP.
 */
import { INestApplication, Type } from '@nestjs/common';
import request from 'supertest';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../apps/health-adapter/src/app.module';
import { AppModule as MaracModule } from '../../apps/marac/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../apps/social-care-adapter/src/app.module';
import { AppRoute, appRoutes, concretePath } from '../support/app-routes';
import { DEMO_NODE_AGENCIES, HubStandIn } from '../support/hub-stand-in';
import { inProcessApp } from '../support/in-process-app';
import { TestIssuer } from '../support/test-issuer';

const NODES: [string, Type<unknown>][] = [
  ['police', PoliceModule],
  ['education', EducationModule],
  ['health', HealthModule],
  ['social-care', SocialCareModule],
  ['marac', MaracModule],
];

describe('finding 6: an agency system acts only on its own agency node', () => {
  const issuer = new TestIssuer();
  const hub = new HubStandIn();
  const apps = new Map<string, INestApplication>();

  beforeAll(async () => {
    await issuer.start();
    await hub.start();
    Object.assign(process.env, { HUB_JWKS_URL: hub.jwksUrl, OUTBOX_RELAY_ENABLED: 'false' });
    for (const [nodeId, module] of NODES) apps.set(nodeId, await inProcessApp(module));
  });

  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await hub.stop();
    await issuer.stop();
  });

  const agencySystemRoutes = (nodeId: string): AppRoute[] =>
    appRoutes(apps.get(nodeId)!).filter((route) => route.roles.includes('agency-system'));

  const call = (nodeId: string, route: AppRoute, token: string) =>
    request(apps.get(nodeId)!.getHttpServer())
      [route.method](concretePath(route))
      .set('Authorization', `Bearer ${token}`)
      .send({});

  it('finds the agency-system endpoints of every node in its routes', () => {
    const police = agencySystemRoutes('police').map((r) => `${r.method} ${r.path}`);
    expect(police).toEqual(
      expect.arrayContaining([
        'post /incidents',
        'get /incidents',
        'get /incidents/:incidentId/notifications',
        'post /consent-withdrawals',
        'post /missing-episodes',
        'get /missing-episodes',
        'get /missing-episodes/:episodeId',
        'post /marac/referrals',
        'get /marac/referrals',
      ]),
    );
    expect(agencySystemRoutes('social-care').map((r) => `${r.method} ${r.path}`)).toContain(
      'post /missing-episodes/:episodeId/return-home-interview',
    );
    for (const [nodeId] of NODES) expect(agencySystemRoutes(nodeId).length).toBeGreaterThan(3);
  });

  describe.each(NODES.map(([nodeId]) => nodeId))('on the %s node', (nodeId) => {
    const others = Object.values(DEMO_NODE_AGENCIES).filter(
      (agency) => agency !== DEMO_NODE_AGENCIES[nodeId],
    );

    it('refuses every agency-system endpoint to a token of another agency, or of none, with 403', async () => {
      const tokens = [
        ...[...others, 'northshire-homes'].map((agency) =>
          issuer.token({ roles: ['agency-system'], agency, subject: `${agency}-system` }),
        ),
        issuer.token({ roles: ['agency-system'], subject: 'agency-less-system' }),
      ];
      for (const route of agencySystemRoutes(nodeId)) {
        for (const token of await Promise.all(tokens)) {
          const response = await call(nodeId, route, token);
          expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
            route: `${route.method} ${route.path}`,
            status: 403,
          });
          expect(response.body).toEqual({
            statusCode: 403,
            message: 'forbidden',
            error: 'Forbidden',
          });
        }
      }
    });

    it("lets the node's own agency past the check (the request is then judged on its merits)", async () => {
      const token = await issuer.token({
        roles: ['agency-system'],
        agency: DEMO_NODE_AGENCIES[nodeId],
        subject: 'own-system',
      });
      for (const route of agencySystemRoutes(nodeId)) {
        const response = await call(nodeId, route, token);
        expect({ route: `${route.method} ${route.path}`, status: response.status }).not.toEqual({
          route: `${route.method} ${route.path}`,
          status: 403,
        });
        expect(response.status).toBeLessThan(500);
      }
    });
  });
});
