import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth0ManagementShape, EnvError } from '@omakase/config';
import { describe, expect, it } from 'vitest';
import { orchestratorEnvShape } from '../../../apps/orchestrator/src/env';
import { webEnvShape } from '../../../apps/web/src/server/env';
import { parseStartEnv, REPO_ROOT, resolveConfig } from '../src/env';
import { demoRepoPath, LOCAL_ORCHESTRATOR_CLIENT_ID, SERVICE_SETTINGS, serviceSpecs } from '../src/services';

function errorOf(env: Record<string, string>): EnvError {
  try {
    parseStartEnv(env);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  expect.fail('expected an EnvError');
}

describe('parseStartEnv', () => {
  it('defaults to the local stand-ins', () => {
    const env = parseStartEnv({});
    expect(env).toMatchObject({ PORT: 3000, ISSUER_PORT: 4000, AUTH0_AUDIENCE: 'omakase-api' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
  });

  it('names the variable with a bad value', () => {
    expect(errorOf({ PORT: 'eighty' }).issues.map((i) => i.variable)).toEqual(['PORT']);
    expect(errorOf({ DATABASE_URL: 'mysql://x' }).message).toContain('DATABASE_URL');
    expect(errorOf({ AUTH0_SECRET: 'short' }).message).toContain('AUTH0_SECRET');
    expect(errorOf({ APP_BASE_URL: 'not a url' }).message).toContain('APP_BASE_URL');
  });

  it('requires the whole Auth0 tenant configuration once part of it is set', () => {
    expect(errorOf({ AUTH0_DOMAIN: 'tenant.eu.auth0.com' }).message).toContain('AUTH0_CLIENT_ID');
  });
});

describe("the orchestrator's run-token credentials", () => {
  const endpoints = {
    databaseUrl: 'postgres://x@127.0.0.1:5433/omakase',
    auth0Domain: 'http://127.0.0.1:4000',
    auth0ClientId: 'omakase-web',
    auth0ClientSecret: 'web-secret',
    demoOrgIds: ['org_01demo', 'org_01other'],
  };
  const orchestratorEnv = async (vars: Record<string, string>, domain = endpoints.auth0Domain) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'omakase-devstack-env-'));
    const config = await resolveConfig(parseStartEnv({ OMAKASE_DATA_DIR: dataDir, ...vars }));
    const specs = serviceSpecs(REPO_ROOT, config, { ...endpoints, auth0Domain: domain });
    return { config, env: specs.find((s) => s.name === 'orchestrator')!.env };
  };

  it("locally: the issuer's orchestrator client, never the signing key", async () => {
    const { config, env } = await orchestratorEnv({});
    expect(env).toMatchObject({
      ORCHESTRATOR_M2M_CLIENT_ID: LOCAL_ORCHESTRATOR_CLIENT_ID,
      ORCHESTRATOR_M2M_CLIENT_SECRET: config.LOCAL_ORCHESTRATOR_SECRET,
      M2M_TOKEN_URL: 'http://127.0.0.1:4000/oauth/token',
      M2M_AUDIENCE: 'omakase-api',
    });
    expect(config.LOCAL_ORCHESTRATOR_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(env.RUN_TOKEN_SECRET).toBeUndefined();
  });

  it('with a real tenant: its configured client, or RUN_TOKEN_SECRET when none is', async () => {
    const tenant = { AUTH0_DOMAIN: 'tenant.eu.auth0.com', AUTH0_CLIENT_ID: 'w', AUTH0_CLIENT_SECRET: 's' };
    const configured = await orchestratorEnv(
      { ...tenant, ORCHESTRATOR_M2M_CLIENT_ID: 'orch', ORCHESTRATOR_M2M_CLIENT_SECRET: 'orch-secret' },
      'tenant.eu.auth0.com',
    );
    expect(configured.env).toMatchObject({
      ORCHESTRATOR_M2M_CLIENT_ID: 'orch',
      M2M_TOKEN_URL: 'https://tenant.eu.auth0.com/oauth/token',
    });
    const fallback = await orchestratorEnv(tenant, 'tenant.eu.auth0.com');
    expect(fallback.env.RUN_TOKEN_SECRET).toBe(fallback.config.RUN_TOKEN_SECRET);
    expect(fallback.env.ORCHESTRATOR_M2M_CLIENT_ID).toBeUndefined();
  });

  it("lets the seeded demo orgs, and only them, use the operator's ANTHROPIC_API_KEY", async () => {
    const real = await orchestratorEnv({ ANTHROPIC_API_KEY: 'sk-ant-operator' });
    expect(real.env).toMatchObject({
      ANTHROPIC_API_KEY: 'sk-ant-operator',
      OMAKASE_FALLBACK_CREDENTIAL_ORGS: 'org_01demo,org_01other',
    });
    // Demo mode: no key at all, so the orchestrator runs every org on the scripted model.
    const demo = await orchestratorEnv({});
    expect(demo.env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(demo.env.OMAKASE_FALLBACK_CREDENTIAL_ORGS).toBeUndefined();
    expect(demo.env.ANTHROPIC_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('lets the seeded demo orgs, and only them, keep repositories under the data dir (web and orchestrator)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'omakase-devstack-env-'));
    const config = await resolveConfig(parseStartEnv({ OMAKASE_DATA_DIR: dataDir }));
    const specs = serviceSpecs(REPO_ROOT, config, endpoints);
    for (const name of ['web', 'orchestrator']) {
      expect(specs.find((s) => s.name === name)!.env).toMatchObject({
        OMAKASE_DATA_DIR: dataDir,
        OMAKASE_LOCAL_REPOSITORY_ORGS: 'org_01demo,org_01other',
      });
    }
    expect(demoRepoPath(config, 'org_01demo')).toBe(join(dataDir, 'repos', 'org_01demo', 'demo-shop'));
  });

  it("passes a gateway's ANTHROPIC_BASE_URL to the orchestrator with the key", async () => {
    const gateway = await orchestratorEnv({
      ANTHROPIC_API_KEY: 'sk-ant-operator',
      ANTHROPIC_BASE_URL: 'https://llm-gateway.example.com/anthropic',
    });
    expect(gateway.env.ANTHROPIC_BASE_URL).toBe('https://llm-gateway.example.com/anthropic');
    expect((await orchestratorEnv({ ANTHROPIC_API_KEY: 'k' })).env.ANTHROPIC_BASE_URL).toBeUndefined();
    expect(errorOf({ ANTHROPIC_BASE_URL: 'not a url' }).message).toContain('ANTHROPIC_BASE_URL');
  });

  it('requires both halves of the M2M client, naming the missing one', () => {
    expect(errorOf({ ORCHESTRATOR_M2M_CLIENT_ID: 'orch' }).message).toContain(
      'ORCHESTRATOR_M2M_CLIENT_SECRET',
    );
    expect(errorOf({ ORCHESTRATOR_M2M_CLIENT_SECRET: 'x' }).message).toContain('ORCHESTRATOR_M2M_CLIENT_ID');
  });
});

describe("the services' own settings under npm start", () => {
  const endpoints = {
    databaseUrl: 'postgres://x@127.0.0.1:5433/omakase',
    auth0Domain: 'http://127.0.0.1:4000',
    auth0ClientId: 'omakase-web',
    auth0ClientSecret: 'web-secret',
    demoOrgIds: ['org_01demo'],
  };

  it('names only variables each service parses', () => {
    const web = new Set([...Object.keys(webEnvShape), ...Object.keys(auth0ManagementShape)]);
    const orchestrator = new Set(Object.keys(orchestratorEnvShape));
    expect(SERVICE_SETTINGS.web.filter((name) => !web.has(name))).toEqual([]);
    expect(SERVICE_SETTINGS.orchestrator.filter((name) => !orchestrator.has(name))).toEqual([]);
  });

  it('passes a setting through when the developer set it, never what the stack sets itself', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'omakase-devstack-env-'));
    const config = await resolveConfig(parseStartEnv({ OMAKASE_DATA_DIR: dataDir }));
    const host = {
      ORG_MAX_CONCURRENT_AGENTS: '3',
      COMPUTE_SANDBOX: 'on',
      TRUSTED_PROXIES: '10.0.0.0/8',
      DATABASE_URL: 'postgres://elsewhere/db',
      SOME_SECRET: 'not for the services',
    };
    const specs = serviceSpecs(REPO_ROOT, config, endpoints, host);
    const envOf = (name: string) => specs.find((s) => s.name === name)!.env;
    expect(envOf('web')).toMatchObject({ ORG_MAX_CONCURRENT_AGENTS: '3', TRUSTED_PROXIES: '10.0.0.0/8' });
    expect(envOf('orchestrator')).toMatchObject({ ORG_MAX_CONCURRENT_AGENTS: '3', COMPUTE_SANDBOX: 'on' });
    expect(envOf('web').COMPUTE_SANDBOX).toBeUndefined();
    for (const name of ['web', 'orchestrator']) {
      expect(envOf(name).DATABASE_URL).toBe(endpoints.databaseUrl);
      expect(envOf(name).SOME_SECRET).toBeUndefined();
    }
  });
});
