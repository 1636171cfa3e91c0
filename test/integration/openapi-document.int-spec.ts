/**
 * The OpenAPI document each service serves at /docs-json, checked against the DTOs the
 * ValidationPipe applies (issue 15 item 6): every endpoint that takes a body documents it with
 * exactly the DTO's validated properties, and every documented example is accepted by that
 * DTO's rules, as the API itself would accept it. (Not every body has an example yet.)
 * Real: the services' Nest apps as main.ts builds them, on the real database. Faked: the hub (a
 * stand-in serving its keys), since no message is sent.
 */
import { INestApplication, Type } from '@nestjs/common';
import { routeBodyClasses } from '@app/platform';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import request from 'supertest';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../apps/health-adapter/src/app.module';
import { AppModule as MaracModule } from '../../apps/marac/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../apps/social-care-adapter/src/app.module';
import { appRoutes } from '../support/app-routes';
import { HubStandIn } from '../support/hub-stand-in';
import { inProcessApp } from '../support/in-process-app';

type Schema = { $ref?: string; properties?: Record<string, unknown>; required?: string[] };
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}
interface Operation {
  requestBody?: {
    content: Record<string, { schema: Schema; examples?: Record<string, { value: unknown }> }>;
  };
}

const SERVICES: [string, Type<unknown>][] = [
  ['police-adapter', PoliceModule],
  ['education-adapter', EducationModule],
  ['health-adapter', HealthModule],
  ['social-care-adapter', SocialCareModule],
  ['marac', MaracModule],
];

function validatedProperties(type: Type<unknown>): string[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  return [...new Set(metadatas.map((metadata) => metadata.propertyName))].sort();
}

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document of every service matches its DTOs', () => {
  const hub = new HubStandIn();
  const documents = new Map<string, { app: INestApplication; document: Document }>();

  beforeAll(async () => {
    await hub.start();
    Object.assign(process.env, { HUB_JWKS_URL: hub.jwksUrl, OUTBOX_RELAY_ENABLED: 'false' });
    for (const [name, module] of SERVICES) {
      const app = await inProcessApp(module);
      const response = await request(app.getHttpServer()).get('/docs-json').expect(200);
      documents.set(name, { app, document: response.body as Document });
    }
  });

  afterAll(async () => {
    for (const { app } of documents.values()) await app.close();
    await hub.stop();
  });

  const bodyRoutes = (name: string) => {
    const app = documents.get(name)!.app;
    const bodies = routeBodyClasses(app);
    return appRoutes(app).flatMap((route) => {
      const body = bodies.find(
        (b) => b.controller === route.controller && b.handler === route.handler,
      );
      return body ? [{ route, type: body.type }] : [];
    });
  };

  it.each(SERVICES.map(([name]) => name))(
    '%s: every body is documented with its DTO’s properties, and each example is valid',
    async (name) => {
      const { document } = documents.get(name)!;
      const routes = bodyRoutes(name);
      expect(routes.length).toBeGreaterThan(0);
      for (const { route, type } of routes) {
        const where = `${route.method.toUpperCase()} ${route.path}`;
        const content =
          document.paths[openApiPath(route.path)]?.[route.method]?.requestBody?.content[
            'application/json'
          ];
        expect({ where, documented: Boolean(content) }).toEqual({ where, documented: true });
        const ref = content!.schema.$ref ?? '';
        const schema = document.components.schemas[ref.replace('#/components/schemas/', '')];
        expect({ where, properties: Object.keys(schema?.properties ?? {}).sort() }).toEqual({
          where,
          properties: validatedProperties(type),
        });
        const examples = Object.entries(content!.examples ?? {});
        for (const [example, { value }] of examples) {
          const errors = await validate(plainToInstance(type, value) as object, {
            whitelist: true,
            forbidNonWhitelisted: true,
          });
          expect({ where, example, errors: errors.map(String) }).toEqual({
            where,
            example,
            errors: [],
          });
        }
      }
    },
  );
});
