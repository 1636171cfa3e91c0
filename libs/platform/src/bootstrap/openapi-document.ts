import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  targetConstructorToSchema,
  validationMetadatasToSchemas,
} from 'class-validator-jsonschema';

import { ServiceDescriptor } from '../config/service-env.token';
import { addResponseSchemas } from './response-schemas';
import { routeBodyClasses } from './route-body-classes';

// class-transformer keeps its @Type() metadata (nested classes) here and exports no typed path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: NonNullable<
    Parameters<typeof validationMetadatasToSchemas>[0]
  >['classTransformerMetadataStorage'];
};

type Schema = Record<string, unknown>;
const REF_PREFIX = '#/components/schemas/';

/**
 * The OpenAPI document a service serves at /docs. Request bodies are described by the very
 * class-validator rules the ValidationPipe applies (class-validator-jsonschema), so the
 * documented schema cannot drift from what the API accepts: the build does not run Nest's
 * Swagger compiler plugin, and hand-written @ApiProperty copies of every rule went stale.
 * Swagger's own description of a property (description, example) is kept on top. Responses are
 * described by the handlers' declared return types (response-schemas.ts).
 */
export function buildOpenApiDocument(
  app: INestApplication,
  descriptor: ServiceDescriptor,
): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Safeguarding Exchange: ${descriptor.name}`)
      .setDescription(descriptor.description)
      .addBearerAuth()
      .build(),
  );
  const options = {
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: REF_PREFIX,
  };
  const validated = validationMetadatasToSchemas(options) as Record<string, Schema>;
  // A body class with no rules of its own (an OmitType of a contract) is found by its class,
  // with the rules it inherits.
  for (const { type } of routeBodyClasses(app)) {
    validated[type.name] = targetConstructorToSchema(type, options) as Schema;
  }
  const schemas = (document.components ??= {}).schemas ?? {};
  const pending = Object.keys(schemas).filter((name) => validated[name]);
  const done = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (done.has(name)) continue;
    done.add(name);
    schemas[name] = mergeSchemas(validated[name], schemas[name] as Schema | undefined);
    // The nested classes a body refers to (a child of an incident, a DASH answer set …).
    for (const ref of refsIn(validated[name])) if (validated[ref]) pending.push(ref);
  }
  document.components.schemas = schemas;
  addResponseSchemas(document);
  return document;
}

/** class-validator's rules, with what Swagger decorators add to each property on top. */
function mergeSchemas(validated: Schema, swagger: Schema | undefined): Schema {
  const properties = { ...(validated.properties as Record<string, Schema> | undefined) };
  const described = (swagger?.properties ?? {}) as Record<string, Schema>;
  for (const [key, extra] of Object.entries(described)) {
    if (!properties[key]) continue;
    const { description, example } = extra;
    properties[key] = {
      ...properties[key],
      ...(description === undefined ? {} : { description }),
      ...(example === undefined ? {} : { example }),
    };
  }
  return { ...validated, properties };
}

function refsIn(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(refsIn);
  if (schema === null || typeof schema !== 'object') return [];
  return Object.entries(schema).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)
      ? [value.slice(REF_PREFIX.length)]
      : refsIn(value),
  );
}
