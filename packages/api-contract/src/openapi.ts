/** Builds the OpenAPI 3.1 document from the route registry with zod 4's native JSON Schema output. */
import { z } from 'zod';
import { API_ERROR_STATUS, ApiErrorBody } from './errors';
import { type MachineRouteSpec, machineRoutes } from './machine-routes';
import { type RouteSpec, routes } from './routes';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // `unrepresentable: 'any'` keeps transforms (id branding) from throwing; the input side is what clients send.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

type AnySpec = RouteSpec | MachineRouteSpec;

function parameters(spec: AnySpec): JsonSchema[] {
  const fields = (schema: z.ZodType | undefined) =>
    Object.entries(
      (jsonSchema(schema ?? z.object({}), 'input') as { properties?: Record<string, JsonSchema> })
        .properties ?? {},
    );
  const query = 'query' in spec ? spec.query : undefined;
  const required = new Set(
    query ? ((jsonSchema(query, 'input') as { required?: string[] }).required ?? []) : [],
  );
  return [
    ...fields(spec.params).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
    ...fields(query).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema })),
  ];
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function responses(spec: AnySpec): JsonSchema {
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
    ...('mayAnswerNoContent' in spec ? { 204: { description: 'Nothing yet: poll again' } } : {}),
    ...(spec.body ? { 400: errorResponse('Malformed JSON body') } : {}),
    401: errorResponse('Missing, invalid or expired credentials'),
    403: errorResponse('The caller’s role lacks the permission'),
    ...(spec.params ? { 404: errorResponse('Unknown id (or another organisation’s)') } : {}),
    ...('conflict' in spec && spec.conflict ? { 409: errorResponse(spec.conflict) } : {}),
    ...(spec.body ? { 413: errorResponse('Body too large'), 422: errorResponse('Validation failed') } : {}),
  };
}

function operation(spec: AnySpec): JsonSchema {
  const op: JsonSchema = {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    parameters: parameters(spec),
    responses: responses(spec),
  };
  if ('action' in spec) op['x-omakase-action'] = spec.action;
  else
    op.security = [spec.credential === 'run-token' ? { runToken: [] } : { machineToken: [spec.permission] }];
  if (spec.body) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
    };
  }
  return op;
}

export function buildOpenApiDocument(opts: { serverUrl?: string } = {}) {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const specs: AnySpec[] = [...Object.values(routes), ...Object.values(machineRoutes)];
  for (const spec of specs) {
    paths[spec.path] ??= {};
    paths[spec.path]![spec.method.toLowerCase()] = operation(spec);
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
        runToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A run’s own short-lived token; it can only read its spec and append its events and result.',
        },
        machineToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An M2M (client-credentials) access token; the listed permission is required.',
        },
      },
      schemas: {
        Error: { ...jsonSchema(ApiErrorBody, 'output'), 'x-status-by-code': API_ERROR_STATUS },
      },
    },
  };
}
