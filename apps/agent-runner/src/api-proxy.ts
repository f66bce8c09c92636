/**
 * Cloud runners have no route out but the egress proxy (infra/: their security group reaches only
 * it and EFS). Node's fetch ignores HTTPS_PROXY, so with OMAKASE_API_PROXY set every request of
 * this process — the platform API, the warm runner's token endpoint — is tunnelled through it with
 * CONNECT. Claude Code, a child process, uses HTTPS_PROXY itself. Unset (local runs): direct.
 */
import { ProxyAgent, setGlobalDispatcher } from 'undici';

/** `proxy`: OMAKASE_API_PROXY (env.ts). */
export function useApiProxy(proxy: string | undefined): string | null {
  if (!proxy) return null;
  const url = new URL(proxy);
  if (url.protocol !== 'http:') throw new Error('OMAKASE_API_PROXY must be an http:// proxy URL');
  setGlobalDispatcher(new ProxyAgent({ uri: url.href }));
  return url.href;
}
