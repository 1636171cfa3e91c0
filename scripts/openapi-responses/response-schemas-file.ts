/** Where the generated response schemas live, relative to the repository root. */
export const RESPONSE_SCHEMAS_FILE = 'libs/platform/src/bootstrap/response-schemas.generated.json';
