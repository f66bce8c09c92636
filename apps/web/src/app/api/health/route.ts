import { storage } from '@/server/storage';

export const dynamic = 'force-dynamic';

/** Liveness + database reachability; no authentication. */
export async function GET(): Promise<Response> {
  try {
    await storage().organizations.findByExternalId('__health_probe__');
    return Response.json({ status: 'ok', database: 'ok' });
  } catch {
    return Response.json({ status: 'degraded', database: 'down' }, { status: 503 });
  }
}
