import { z } from 'zod';
import { ERROR_CODES, STATUS, type ErrorCode } from '../../../shared/errors.js';
import * as schemas from '../../../shared/schemas/index.js';
import { Id } from '../../../shared/schemas/common.js';
import type { ApiRoute } from './routes.js';

type Json = Record<string, unknown>;

/** Every shared schema by its export name, so a body is a named component rather than an anonymous copy. */
const schemaNames = new Map<unknown, string>(Object.entries(schemas).filter(([, s]) => s instanceof z.ZodType).map(([name, s]) => [s, name]));

/** The JSON Schema (2020-12, as OpenAPI 3.1 uses) of what a client sends: the input side of transforms. */
function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

/** The error envelope of every failure, from the shared catalog. */
const ErrorBody = z.object({
  error: z.object({ code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]), message: z.string(), details: z.unknown().optional() }),
});

/** Always possible: bad input, no or a bad token, a rate limit, a bug. */
const COMMON_ERRORS: ErrorCode[] = ['INVALID_INPUT', 'UNAUTHENTICATED', 'RATE_LIMITED', 'INTERNAL'];

/** `/api/rooms/:id` → `/api/rooms/{id}` and its parameter names. */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const converted = path.replace(/:(\w+)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: converted, params };
}

const nameOf = (schema: z.ZodType, route: ApiRoute): string => {
  const name = schemaNames.get(schema);
  if (!name) throw new Error(`${route.method.toUpperCase()} ${route.path}: its schema is not exported from shared/schemas`);
  return name;
};

function operation(route: ApiRoute, components: Json): Json {
  const { params } = openApiPath(route.path);
  const parameters: Json[] = params.map((name) => ({ name, in: 'path', required: true, schema: jsonSchema(Id) }));
  if (route.query) {
    const q = jsonSchema(route.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
  }
  const op: Json = {
    operationId: `${route.method}${openApiPath(route.path).path.replace(/[{}]/g, '').replace(/(^|[/._-])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    tags: [route.tag],
  };
  if (parameters.length > 0) op.parameters = parameters;
  if (route.body) {
    const name = nameOf(route.body, route);
    components[name] = jsonSchema(route.body);
    op.requestBody = { required: !route.bodyOptional, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
  }
  const okContent = Array.isArray(route.returns)
    ? { 'application/json': { schema: { type: 'object', required: route.returns, properties: Object.fromEntries(route.returns.map((k) => [k, {}])) } } }
    : { [route.returns.contentType]: { schema: { type: 'string' } } };
  const responses: Json = { [String(route.status ?? 200)]: { description: `answers ${Array.isArray(route.returns) ? `{ ${route.returns.join(', ')} }` : route.returns.contentType}`, content: okContent } };
  const codes = new Set<ErrorCode>([...(route.auth === 'none' ? COMMON_ERRORS.filter((c) => c !== 'UNAUTHENTICATED') : COMMON_ERRORS), ...(route.errors ?? [])]);
  if (!route.body && !route.query && params.length === 0) codes.delete('INVALID_INPUT');
  if (route.body) codes.add('PAYLOAD_TOO_LARGE'); // express.json's limit, before the schema runs
  for (const status of [...new Set([...codes].map((c) => STATUS[c]))].sort()) {
    const named = [...codes].filter((c) => STATUS[c] === status);
    responses[String(status)] = { description: named.join(' or '), content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
  }
  op.responses = responses;
  if (route.auth === 'none') op.security = [];
  return op;
}

/** The OpenAPI 3.1 document of `routes`: paths, parameters and bodies from the shared zod schemas. */
export function buildOpenApi(routes: readonly ApiRoute[], version: string): Json {
  const components: Json = { ErrorBody: jsonSchema(ErrorBody) };
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const { path } = openApiPath(route.path);
    const item = (paths[path] ??= {});
    if (item[route.method]) throw new Error(`${route.method.toUpperCase()} ${route.path} is listed twice`);
    item[route.method] = operation(route, components);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Menteo API',
      version,
      description: 'REST routes of a Menteo server. Socket.IO events and the collab endpoint are in docs/PROTOCOL.md.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}
