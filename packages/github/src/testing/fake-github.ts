/**
 * A loopback fake of the GitHub REST endpoints the adapter uses (list and create pull requests),
 * for tests. It checks the token, keeps pull requests in memory and records every request.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePull {
  owner: string;
  repo: string;
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
}

export interface FakeGitHub {
  url: string;
  pulls: FakePull[];
  requests: { method: string; path: string }[];
  stop(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, string>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return raw ? JSON.parse(raw) : {};
}

export async function startFakeGitHub(opts: { token: string }): Promise<FakeGitHub> {
  const pulls: FakePull[] = [];
  const requests: FakeGitHub['requests'] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? '', path: url.pathname });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `token ${opts.token}`) return send(401, { message: 'Bad credentials' });
    const match = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(url.pathname);
    if (!match) return send(404, { message: 'Not Found' });
    const [, owner, repo] = match as unknown as [string, string, string];
    const view = (p: FakePull) => ({
      number: p.number,
      html_url: `https://github.com/${owner}/${repo}/pull/${p.number}`,
      head: { ref: p.head },
      base: { ref: p.base },
      title: p.title,
    });
    const mine = pulls.filter((p) => p.owner === owner && p.repo === repo);
    if (req.method === 'GET') {
      const head = url.searchParams.get('head');
      return send(200, mine.filter((p) => !head || `${owner}:${p.head}` === head).map(view));
    }
    if (req.method === 'POST') {
      const body = await readJson(req);
      if (!body.head || !body.base || !body.title) return send(422, { message: 'Validation Failed' });
      if (mine.some((p) => p.head === body.head)) {
        return send(422, { message: `A pull request already exists for ${owner}:${body.head}.` });
      }
      const pull: FakePull = {
        owner,
        repo,
        number: pulls.length + 1,
        head: body.head,
        base: body.base,
        title: body.title,
        body: body.body ?? '',
      };
      pulls.push(pull);
      return send(201, view(pull));
    }
    return send(405, { message: 'Method Not Allowed' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pulls,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
