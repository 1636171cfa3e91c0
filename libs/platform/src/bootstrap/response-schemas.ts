import { OpenAPIObject } from '@nestjs/swagger';

import generated from './response-schemas.generated.json';

type Operation = {
  operationId?: string;
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
};

const REF_PREFIX = '#/components/schemas/';

/**
 * Gives each JSON route's success response the schema of the type its handler is declared to
 * return (generated from the TypeScript types by `npm run openapi:responses`), and adds those
 * schemas to the document. A schema Swagger already has (a decorated class) is kept.
 */
export function addResponseSchemas(document: OpenAPIObject): void {
  const schemas = ((document.components ??= {}).schemas ??= {});
  for (const [name, schema] of Object.entries(generated.schemas)) {
    schemas[name] ??= schema as never;
  }
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as Operation[]) {
      const answer = operation.operationId
        ? (generated.operations as Record<string, { schema: string; array: boolean }>)[
            operation.operationId
          ]
        : undefined;
      if (!answer) continue;
      const responses = (operation.responses ??= {});
      const status = Object.keys(responses).find((code) => /^2\d\d$/.test(code)) ?? '200';
      const ref = { $ref: `${REF_PREFIX}${answer.schema}` };
      const response = (responses[status] ??= { description: '' });
      response.content = {
        ...response.content,
        'application/json': { schema: answer.array ? { type: 'array', items: ref } : ref },
      };
    }
  }
}
