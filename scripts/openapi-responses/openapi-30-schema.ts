type Schema = Record<string, unknown>;

const DEFINITIONS = '#/definitions/';
const COMPONENTS = '#/components/schemas/';

/**
 * JSON Schema draft 7 as ts-json-schema-generator writes it, in the dialect OpenAPI 3.0 (what
 * @nestjs/swagger serves) understands: `nullable` instead of a `null` type, `enum` instead of
 * `const`, and references into `components/schemas`.
 */
export function toOpenApi30(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApi30);
  if (schema === null || typeof schema !== 'object') return schema;
  const source = schema as Schema;
  const result: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === '$schema') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(DEFINITIONS)) {
      result.$ref = COMPONENTS + decodeURIComponent(value.slice(DEFINITIONS.length));
    } else if (key === 'const') {
      result.enum = [value];
    } else {
      result[key] = toOpenApi30(value);
    }
  }
  return withoutNullType(result);
}

function withoutNullType(schema: Schema): Schema {
  const { type, anyOf } = schema;
  if (Array.isArray(type) && type.includes('null')) {
    const rest = type.filter((t) => t !== 'null');
    return { ...schema, type: rest.length === 1 ? rest[0] : rest, nullable: true };
  }
  if (Array.isArray(anyOf) && anyOf.some(isNullType)) {
    const rest = (anyOf as Schema[]).filter((option) => !isNullType(option));
    const { anyOf: _dropped, ...others } = schema;
    void _dropped;
    if (rest.length === 1) {
      const only = rest[0];
      // A reference takes no siblings in OpenAPI 3.0, so it is wrapped to carry `nullable`.
      return only.$ref
        ? { ...others, allOf: [only], nullable: true }
        : { ...others, ...only, nullable: true };
    }
    return { ...others, anyOf: rest, nullable: true };
  }
  return schema;
}

function isNullType(schema: unknown): boolean {
  return (schema as Schema | null)?.type === 'null';
}
