/**
 * The web app's Linear wiring, created on first use: settings from the environment, the
 * integration store (its own small pool), the secret box and the OAuth app (null until configured).
 */
import { routes } from '@omakase/api-contract';
import { parseEnv } from '@omakase/config';
import { createLinearStore } from '@omakase/db';
import type { LinearStore } from '@omakase/domain';
import { aesGcmSecretBox, type OAuthApp, type SecretBox } from '@omakase/linear';
import { z } from 'zod';
import { ApiError } from '../api-error';
import { env } from '../env';
import { database } from '../storage';

const shape = {
  LINEAR_CLIENT_ID: z.string().min(1).optional(),
  LINEAR_CLIENT_SECRET: z.string().min(1).optional(),
  /** The OAuth app's webhook signing secret (per-connection secrets take precedence). */
  LINEAR_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Authorize page origin (https://linear.app) and token/revoke origin (https://api.linear.app). */
  LINEAR_AUTHORIZE_URL: z.url().default('https://linear.app'),
  LINEAR_OAUTH_URL: z.url().default('https://api.linear.app'),
  LINEAR_API_URL: z.url().default('https://api.linear.app/graphql'),
};

type LinearEnv = z.infer<z.ZodObject<typeof shape>>;
const holder = globalThis as typeof globalThis & {
  __omakaseLinear?: { env: LinearEnv; store: LinearStore; box?: SecretBox };
};

function state() {
  holder.__omakaseLinear ??= {
    env: parseEnv(shape),
    store: createLinearStore(database()),
  };
  return holder.__omakaseLinear;
}

export const linearEnv = () => state().env;
export const linearStore = () => state().store;

/** Tokens are sealed with OMAKASE_MASTER_KEY; without it there is nothing to connect with. */
export function secretBox(): SecretBox {
  const s = state();
  if (!s.box) {
    const key = env().OMAKASE_MASTER_KEY;
    if (!key) throw new ApiError('unavailable', 'OMAKASE_MASTER_KEY is not configured');
    s.box = aesGcmSecretBox(key);
  }
  return s.box;
}

export const CALLBACK_PATH = routes.linearCallback.path;

export function oauthApp(): OAuthApp | null {
  const e = linearEnv();
  if (!e.LINEAR_CLIENT_ID || !e.LINEAR_CLIENT_SECRET) return null;
  return {
    clientId: e.LINEAR_CLIENT_ID,
    clientSecret: e.LINEAR_CLIENT_SECRET,
    redirectUri: new URL(CALLBACK_PATH, env().APP_BASE_URL).toString(),
    authorizeBaseUrl: e.LINEAR_AUTHORIZE_URL,
    apiBaseUrl: e.LINEAR_OAUTH_URL,
  };
}

export function requireOAuthApp(): OAuthApp {
  const app = oauthApp();
  if (!app) throw new ApiError('conflict', 'Linear OAuth is not configured (LINEAR_CLIENT_ID/SECRET)');
  return app;
}
