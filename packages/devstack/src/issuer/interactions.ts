/**
 * The login and consent steps of oidc-provider's interaction flow: an email + password form
 * against the local directory, and consent granted automatically for our first-party clients,
 * binding the grant to the organisation chosen for this login.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { findUserByEmail, findUserBySub } from './directory';
import { type MembershipLookup, resolveMembership } from './memberships';
import { errorPage, loginPage } from './views';

const LoginForm = z.object({ email: z.string().trim().min(1), password: z.string() });

export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function requestedOrg(params: Record<string, unknown>): string | undefined {
  return typeof params.organization === 'string' && params.organization ? params.organization : undefined;
}

export function createInteractionHandler(
  provider: Provider,
  orgByGrant: Map<string, string>,
  memberships: MembershipLookup,
) {
  async function consent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const accountId = details.session?.accountId;
    const user = accountId ? findUserBySub(accountId) : undefined;
    if (!user) return sendHtml(res, 400, errorPage('Sign-in failed', 'Unknown account.'));
    const requested = requestedOrg(details.params);
    const org = requested
      ? (await resolveMembership(memberships, user.sub, requested))?.org
      : (details.grantId && orgByGrant.get(details.grantId)) ||
        (await resolveMembership(memberships, user.sub, undefined))?.org;
    if (!org) {
      return sendHtml(
        res,
        403,
        errorPage('Not a member', `${user.email} is not a member of organisation ${requested}.`),
      );
    }
    const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    const grant =
      existing && orgByGrant.get(details.grantId ?? '') === org
        ? existing
        : new provider.Grant({ accountId: user.sub, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    orgByGrant.set(grantId, org);
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async function show(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'consent') return consent(req, res);
    const organization = requestedOrg(details.params);
    sendHtml(res, 200, loginPage({ action: `/interaction/${uid}/login`, organization }));
  }

  async function login(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const organization = requestedOrg(details.params);
    const form = LoginForm.safeParse(Object.fromEntries(new URLSearchParams(await readBody(req))));
    const email = form.success ? form.data.email : '';
    const user = form.success ? findUserByEmail(email) : undefined;
    if (!user || !form.success || form.data.password !== user.password) {
      const error = 'Wrong email or password.';
      return sendHtml(
        res,
        401,
        loginPage({ action: `/interaction/${uid}/login`, email, error, organization }),
      );
    }
    if (organization && !(await resolveMembership(memberships, user.sub, organization))) {
      return sendHtml(
        res,
        403,
        errorPage('Not a member', `${user.email} is not a member of organisation ${organization}.`),
      );
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
  }

  /** Returns false when the request is not an interaction route. */
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match?.[1]) return false;
    const uid = match[1];
    try {
      if (req.method === 'GET' && !match[2]) await show(req, res, uid);
      else if (req.method === 'POST' && match[2]) await login(req, res, uid);
      else sendHtml(res, 405, errorPage('Not allowed', 'Unsupported method.'));
    } catch (error) {
      const expired = (error as { name?: string }).name === 'SessionNotFound';
      sendHtml(
        res,
        400,
        errorPage('Sign-in failed', expired ? 'This sign-in link expired; start again.' : String(error)),
      );
    }
    return true;
  };
}
