/**
 * A local OpenID Connect issuer standing in for an Auth0 tenant (see environment.md, "Auth0
 * without the internet"). Point the web app's AUTH0_DOMAIN at the returned `url`.
 */
import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryMachineClient } from './directory';
import { createInteractionHandler, readBody } from './interactions';
import { loadOrCreateKeys } from './keys';
import { directoryMemberships, type MembershipLookup } from './memberships';
import { createProvider } from './provider';

export {
  directoryMemberships,
  type IssuerMembership,
  type MembershipLookup,
  storageMemberships,
} from './memberships';
export { WEB_CLIENT } from './provider';

export interface LocalIssuerOptions {
  /** 0 picks a free port; default 4000. */
  port?: number;
  /** Web origins allowed to redirect back, e.g. http://localhost:3000. */
  appBaseUrls: string[];
  /** Where the signing keys persist; a temp dir when absent. */
  dataDir?: string;
  /** Default 'omakase-api'. */
  audience?: string;
  /** Default 'https://omakase.dev'. */
  claimsNamespace?: string;
  /** Users' organisations and roles; default the fixed demo directory. `npm start` passes the database. */
  memberships?: MembershipLookup;
  /** Extra machine-to-machine clients (client-credentials grant) besides the demo directory's. */
  machineClients?: readonly DirectoryMachineClient[];
}

export interface LocalIssuer {
  /** http://localhost:<port>, without trailing slash (tokens' `iss` has one, like Auth0). */
  url: string;
  stop(): Promise<void>;
}

/**
 * oidc-provider only reads form bodies with client_secret_post for our clients; Auth0 also takes
 * JSON bodies and HTTP Basic client authentication. Normalise those into a form body.
 */
async function normaliseTokenRequest(req: IncomingMessage): Promise<void> {
  const type = req.headers['content-type'] ?? '';
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!type.includes('application/json') && !basic) return;
  const raw = await readBody(req);
  const fields = new URLSearchParams();
  if (type.includes('application/json')) {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>))
      fields.set(key, String(value));
  } else {
    for (const [key, value] of new URLSearchParams(raw)) fields.set(key, value);
  }
  if (basic?.[1]) {
    const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    fields.set('client_id', decodeURIComponent(id));
    fields.set('client_secret', decodeURIComponent(secret));
    delete req.headers.authorization;
  }
  // oidc-provider falls back to `req.body` when the stream was already consumed.
  const body = fields.toString();
  (req as IncomingMessage & { body?: string }).body = body;
  req.headers['content-type'] = 'application/x-www-form-urlencoded';
  req.headers['content-length'] = String(Buffer.byteLength(body));
  delete req.headers['transfer-encoding'];
}

/** Auth0's logout endpoint, mapped onto OpenID RP-initiated logout. */
function v2Logout(url: URL, res: ServerResponse): void {
  const target = new URL('/oidc/logout', url.origin);
  const clientId = url.searchParams.get('client_id');
  const returnTo = url.searchParams.get('returnTo');
  if (clientId) target.searchParams.set('client_id', clientId);
  if (returnTo) target.searchParams.set('post_logout_redirect_uri', returnTo);
  res.writeHead(302, { location: target.pathname + target.search });
  res.end();
}

export async function startLocalIssuer(opts: LocalIssuerOptions): Promise<LocalIssuer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'omakase-issuer-')));
  const keys = await loadOrCreateKeys(dataDir);
  let handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`local issuer error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4000, 'localhost', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;

  const orgByGrant = new Map<string, string>();
  const provider = createProvider({
    issuer: `${url}/`,
    appBaseUrls: opts.appBaseUrls,
    audience: opts.audience ?? 'omakase-api',
    claimsNamespace: (opts.claimsNamespace ?? 'https://omakase.dev').replace(/\/+$/, ''),
    keys,
    orgByGrant,
    memberships: opts.memberships ?? directoryMemberships,
    machineClients: opts.machineClients,
  });
  const interactions = createInteractionHandler(
    provider,
    orgByGrant,
    opts.memberships ?? directoryMemberships,
  );
  const oidc = provider.callback();

  handler = async (req, res) => {
    const requestUrl = new URL(req.url ?? '/', url);
    if (await interactions(req, res)) return;
    if (requestUrl.pathname === '/v2/logout' && req.method === 'GET') return v2Logout(requestUrl, res);
    if (requestUrl.pathname === '/oauth/token' && req.method === 'POST') await normaliseTokenRequest(req);
    await oidc(req, res);
  };

  return {
    url,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
