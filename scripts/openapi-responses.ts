/**
 * `npm run openapi:responses`: writes the response schemas the services' OpenAPI documents show
 * (libs/platform/src/bootstrap/response-schemas.generated.json) from the controllers' declared
 * return types. A unit test fails when the file is out of date, so run this after changing a
 * response type.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { format, resolveConfig } from 'prettier';

import { RESPONSE_SCHEMAS_FILE } from './openapi-responses/response-schemas-file';
import { generateResponseSchemas } from './openapi-responses/response-schema-generator';

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const schemas = generateResponseSchemas(root);
  const path = join(root, RESPONSE_SCHEMAS_FILE);
  const style = await resolveConfig(path);
  writeFileSync(path, await format(JSON.stringify(schemas), { ...style, parser: 'json' }));
  const count = Object.keys(schemas.operations).length;
  console.log(
    `openapi:responses: ${count} operations, ${Object.keys(schemas.schemas).length} schemas → ${RESPONSE_SCHEMAS_FILE}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
