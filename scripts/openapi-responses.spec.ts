import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { RESPONSE_SCHEMAS_FILE } from './openapi-responses/response-schemas-file';
import { generateResponseSchemas } from './openapi-responses/response-schema-generator';

// Building a TypeScript program of every controller takes a few seconds.
jest.setTimeout(120_000);

describe('the response schemas the OpenAPI documents show', () => {
  const root = join(__dirname, '..');

  it('are the controllers’ declared return types as they are now (else: npm run openapi:responses)', () => {
    const committed = JSON.parse(
      readFileSync(join(root, RESPONSE_SCHEMAS_FILE), 'utf8'),
    ) as unknown;
    expect(generateResponseSchemas(root)).toEqual(committed);
  });

  it('describe a response by its type, with null and literal types as OpenAPI 3.0 writes them', () => {
    const { operations, schemas } = generateResponseSchemas(root);
    expect(operations.IncidentsController_notifications).toEqual({
      schema: 'IncidentNotifications',
      array: false,
    });
    expect(operations.MailboxController_list).toEqual({ schema: 'MailboxItem', array: true });
    const child = schemas.ChildNotification as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(child.properties.acknowledgedAt).toEqual({ type: 'string', nullable: true });
    expect(child.properties.educatedAtHome).toEqual({ type: 'boolean', enum: [true] });
    expect(child.required).toContain('recipients');
    expect(child.required).not.toContain('educatedAtHome');
    expect(JSON.stringify(schemas)).not.toContain('#/definitions/');
  });
});
