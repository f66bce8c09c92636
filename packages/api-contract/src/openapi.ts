/** Builds the OpenAPI 3.1 document from the route registry with zod 4's native JSON Schema output. */
import { z } from 'zod';
import { API_ERROR_STATUS, ApiErrorBody } from './errors';
import { type RouteSpec, routes } from './routes';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // `unrepresentable: 'any'` keeps transforms (id branding) from throwing; the input side is what clients send.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(spec: RouteSpec): JsonSchema[] {
  if (!spec.params) return [];
  const shape = jsonSchema(spec.params, 'input') as { properties?: Record<string, JsonSchema> };
  return Object.entries(shape.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema,
  }));
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function responses(spec: RouteSpec): JsonSchema {
  const success =
    spec.status === 302
      ? { description: 'Redirect (Location header)' }
      : spec.status === 204 || !spec.response
        ? { description: 'No content' }
        : {
            description: 'Success',
            content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } },
          };
  return {
    [spec.status]: success,
    ...(spec.body ? { 400: errorResponse('Malformed JSON body') } : {}),
    401: errorResponse('Missing, invalid or expired credentials'),
    403: errorResponse('The caller’s role lacks the permission'),
    ...(spec.params ? { 404: errorResponse('Unknown id (or another organisation’s)') } : {}),
    ...(spec.body ? { 413: errorResponse('Body too large'), 422: errorResponse('Validation failed') } : {}),
  };
}

export function buildOpenApiDocument(opts: { serverUrl?: string } = {}) {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of Object.values(routes) as RouteSpec[]) {
    const operation: JsonSchema = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      'x-omakase-action': spec.action,
      parameters: parameters(spec),
      responses: responses(spec),
    };
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
      };
    }
    paths[spec.path] ??= {};
    paths[spec.path]![spec.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Omakase Cloud API', version: '1.0.0' },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: '__session' },
      },
      schemas: {
        Error: { ...jsonSchema(ApiErrorBody, 'output'), 'x-status-by-code': API_ERROR_STATUS },
      },
    },
  };
}
