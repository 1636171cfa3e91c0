/**
 * The OpenAPI document each service serves at /docs-json, checked against the DTOs the
 * ValidationPipe applies (issue 15 item 6): every endpoint that takes a body documents it with
 * exactly the DTO's validated properties and at least one example, which that DTO's rules accept
 * as the API itself would; every endpoint documents its success response with a schema, and
 * every schema a document refers to is in it. (That each response schema is the handler's
 * declared return type is the generator's unit test: scripts/openapi-responses.spec.ts.)
 * Real: the services' Nest apps as main.ts builds them, on the real database. Faked: the hub's
 * keys for the nodes (a stand-in serving them), since no message is sent.
 */
import { INestApplication, Type } from '@nestjs/common';
import { routeBodyClasses } from '@app/platform';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import request from 'supertest';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../apps/health-adapter/src/app.module';
import { AppModule as HubModule } from '../../apps/hub/src/app.module';
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
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

const SERVICES: [string, Type<unknown>][] = [
  ['police-adapter', PoliceModule],
  ['education-adapter', EducationModule],
  ['health-adapter', HealthModule],
  ['social-care-adapter', SocialCareModule],
  ['marac', MaracModule],
  ['hub', HubModule],
  ['audit', AuditModule],
];

function validatedProperties(type: Type<unknown>): string[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  return [...new Set(metadatas.map((metadata) => metadata.propertyName))].sort();
}

/** Where @ApiExcludeEndpoint marks a handler (@nestjs/swagger's DECORATORS, not exported). */
const API_EXCLUDE_ENDPOINT = 'swagger/apiExcludeEndpoint';

const documentedRoutes = (app: INestApplication) =>
  appRoutes(app).filter((route) => {
    const handler = (route.controller.prototype as Record<string, object>)[route.handler];
    return !(Reflect.getMetadata(API_EXCLUDE_ENDPOINT, handler) as { disable?: boolean })?.disable;
  });

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
    return documentedRoutes(app).flatMap((route) => {
      const body = bodies.find(
        (b) => b.controller === route.controller && b.handler === route.handler,
      );
      return body ? [{ route, type: body.type }] : [];
    });
  };

  // The hub and audit take no bodies (the development issuer's forms are not in the document).
  it.each(SERVICES.map(([name]) => name).filter((name) => !['hub', 'audit'].includes(name)))(
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
        expect({ where, examples: examples.length > 0 }).toEqual({ where, examples: true });
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

  it.each(SERVICES.map(([name]) => name))(
    '%s: every endpoint documents its success response with a schema, and every reference resolves',
    (name) => {
      const { document } = documents.get(name)!;
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
      );
      expect(operations.length).toBeGreaterThan(0);
      for (const { path, method, operation } of operations) {
        const where = `${method.toUpperCase()} ${path}`;
        const success = Object.entries(operation.responses ?? {}).find(([code]) =>
          /^2\d\d$/.test(code),
        )?.[1];
        const schemas = Object.values(success?.content ?? {}).map((media) => media.schema);
        expect({ where, documented: schemas.length > 0 && schemas.every(Boolean) }).toEqual({
          where,
          documented: true,
        });
      }
      const missing = refsIn(document).filter((ref) => !document.components.schemas[ref]);
      expect(missing).toEqual([]);
    },
  );
});

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string'
      ? [inner.replace('#/components/schemas/', '')]
      : refsIn(inner),
  );
}
