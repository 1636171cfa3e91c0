import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import {
  CompletedConfig,
  DEFAULT_CONFIG,
  SchemaGenerator,
  createFormatter,
  createParser,
} from 'ts-json-schema-generator';
import ts from 'typescript';

import { toOpenApi30 } from './openapi-30-schema';

/** What the services' OpenAPI documents read: each JSON route's response schema by operationId. */
export interface ResponseSchemas {
  /** `Controller_method` (Nest's operationId) → the schema its 2xx response carries. */
  operations: Record<string, { schema: string; array: boolean }>;
  /** Named schemas, OpenAPI 3.0, referred to as `#/components/schemas/<name>`. */
  schemas: Record<string, unknown>;
}

const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete']);
// The console renders pages, not JSON, and serves no OpenAPI document.
const SKIPPED_APPS = new Set(['console']);

/**
 * Reads every controller's declared return types with the TypeScript compiler and turns them
 * into JSON schemas (ts-json-schema-generator), so a response's documented shape is the type the
 * handler is checked against and cannot drift from it. A handler that answers JSON must declare
 * a named return type; one that writes its own response (`@Res()`) or returns text is left to
 * document itself.
 */
export function generateResponseSchemas(root: string): ResponseSchemas {
  const files = controllerFiles(root);
  const program = ts.createProgram(files, compilerOptions(root));
  const checker = program.getTypeChecker();
  const config: CompletedConfig = {
    ...DEFAULT_CONFIG,
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    jsDoc: 'basic',
    additionalProperties: false,
  };
  const generator = new SchemaGenerator(
    program,
    createParser(program, config),
    createFormatter(config),
    config,
  );

  const operations: ResponseSchemas['operations'] = {};
  const schemas: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  const problems: string[] = [];

  for (const file of files) {
    const source = program.getSourceFile(file)!;
    for (const { controller, method } of routeMethods(source)) {
      const where = `${relative(root, file)}: ${controller}.${method.name.getText(source)}`;
      // Left out of the document, or writing its own response: nothing to describe here.
      if (hasDecorator(method, 'ApiExcludeEndpoint')) continue;
      if (method.parameters.some((parameter) => hasDecorator(parameter, 'Res'))) continue;
      const answer = answerType(method, where, problems);
      if (!answer) continue;
      const declaration = namedDeclaration(answer.type, checker);
      if (!declaration) {
        problems.push(`${where} returns ${answer.type.getText(source)}: name its type`);
        continue;
      }
      const name = declaration.name!.text;
      const definitions =
        generator.createSchemaFromNodes([declaration]).definitions ??
        ({} as Record<string, unknown>);
      for (const [definition, schema] of Object.entries(definitions)) {
        const converted = toOpenApi30(schema);
        const origin = `${relative(root, declaration.getSourceFile().fileName)}`;
        const known = schemas[definition];
        if (known && JSON.stringify(known) !== JSON.stringify(converted)) {
          problems.push(
            `two different types are named ${definition} (${sources.get(definition)}, ${origin}): rename one`,
          );
        }
        schemas[definition] = converted;
        sources.set(definition, sources.get(definition) ?? origin);
      }
      operations[`${controller}_${method.name.getText(source)}`] = {
        schema: name,
        array: answer.array,
      };
    }
  }
  if (problems.length > 0) throw new Error(`response schemas:\n  ${problems.join('\n  ')}`);
  return { operations: sortKeys(operations), schemas: sortKeys(schemas) };
}

function compilerOptions(root: string): ts.CompilerOptions {
  const path = join(root, 'tsconfig.json');
  const { config } = ts.readConfigFile(path, ts.sys.readFile) as { config: unknown };
  return ts.parseJsonConfigFileContent(config, ts.sys, root).options;
}

function controllerFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.controller.ts')) found.push(path);
    }
  };
  for (const top of ['apps', 'libs']) {
    for (const name of readdirSync(join(root, top))) {
      if (top === 'apps' && SKIPPED_APPS.has(name)) continue;
      const src = join(root, top, name, 'src');
      if (statSync(src, { throwIfNoEntry: false })?.isDirectory()) walk(src);
    }
  }
  return found.sort();
}

function* routeMethods(source: ts.SourceFile) {
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    if (!hasDecorator(statement, 'Controller')) continue;
    for (const member of statement.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      if (!decoratorNames(member).some((name) => ROUTE_DECORATORS.has(name))) continue;
      yield { controller: statement.name.text, method: member };
    }
  }
}

/** The JSON the handler answers with, or nothing for text, void and redirects. */
function answerType(
  method: ts.MethodDeclaration,
  where: string,
  problems: string[],
): { type: ts.TypeNode; array: boolean } | undefined {
  let type = method.type;
  if (!type) {
    problems.push(`${where} declares no return type`);
    return undefined;
  }
  if (ts.isTypeReferenceNode(type) && type.typeName.getText() === 'Promise') {
    type = type.typeArguments?.[0];
  }
  if (!type) return undefined;
  const text = type.kind === ts.SyntaxKind.VoidKeyword ? 'void' : type.getText();
  if (text === 'void' || text === 'string') return undefined;
  if (ts.isArrayTypeNode(type)) return { type: type.elementType, array: true };
  return { type, array: false };
}

type NamedDeclaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration;

function namedDeclaration(
  type: ts.TypeNode,
  checker: ts.TypeChecker,
): NamedDeclaration | undefined {
  if (!ts.isTypeReferenceNode(type) || type.typeArguments) return undefined;
  let symbol = checker.getSymbolAtLocation(type.typeName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.declarations?.[0];
  if (!declaration) return undefined;
  if (
    (ts.isInterfaceDeclaration(declaration) ||
      ts.isTypeAliasDeclaration(declaration) ||
      ts.isClassDeclaration(declaration)) &&
    declaration.name
  ) {
    return declaration as NamedDeclaration;
  }
  return undefined;
}

function decoratorNames(node: ts.Node): string[] {
  if (!ts.canHaveDecorators(node)) return [];
  return (ts.getDecorators(node) ?? []).map((decorator) => {
    const expression = decorator.expression;
    const callee = ts.isCallExpression(expression) ? expression.expression : expression;
    return callee.getText();
  });
}

function hasDecorator(node: ts.Node, name: string): boolean {
  return decoratorNames(node).includes(name);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
