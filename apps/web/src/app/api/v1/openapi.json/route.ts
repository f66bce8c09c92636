import { buildOpenApiDocument } from '@omakase/api-contract';

// Generated from the same route registry the handlers use.
export const dynamic = 'force-static';

export function GET(): Response {
  return Response.json(buildOpenApiDocument());
}
