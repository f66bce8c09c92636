/** `docker build` is impossible here: lint the Dockerfiles and prove their COPY sources exist. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { copySources, lintDockerfile, runtimeWorkspaces } from './dockerfile-rules';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (name: string) => readFileSync(`${root}docker/${name}`, 'utf8');
const images = [
  { file: 'agent-runner.Dockerfile', app: 'apps/agent-runner' },
  { file: 'orchestrator.Dockerfile', app: 'apps/orchestrator' },
];

describe.each(images)('$file', ({ file, app }) => {
  const text = read(file);

  it('passes the rule set and every COPY source exists', () => {
    expect(lintDockerfile(text, root)).toEqual([]);
  });

  it(`copies every workspace ${app} needs at runtime`, () => {
    const sources = copySources(text);
    for (const ws of runtimeWorkspaces(root, app)) {
      expect(sources, ws).toContain(`${ws}/package.json`);
      expect(sources, ws).toContain(ws);
    }
  });
});

describe('the rule set', () => {
  it('catches what it is meant to catch', () => {
    const bad = [
      'FROM node:latest',
      'ADD missing.txt /x',
      'RUN apt-get install -y git',
      'RUN npm ci',
      'ENV API_KEY=abc',
      'CMD node main.js',
    ].join('\n');
    const problems = lintDockerfile(bad, root).join('\n');
    for (const expected of [
      'not multi-stage',
      'not pinned',
      'non-root USER',
      'use COPY, not ADD',
      '--no-install-recommends',
      'apt package git is not pinned',
      '--omit=dev',
      'secret-like',
      'exec form',
    ]) {
      expect(problems).toContain(expected);
    }
    expect(
      lintDockerfile('FROM a:1.2.3 AS b\nFROM a:1.2.3\nCOPY nope.txt /x\nUSER 1000\nCMD ["x"]', root),
    ).toEqual(['line 3: COPY source nope.txt does not exist']);
  });

  it('keeps the SDK (and so the Claude Code binary) in the runner image', () => {
    const pkg = JSON.parse(readFileSync(`${root}apps/agent-runner/package.json`, 'utf8'));
    expect(pkg.dependencies['@anthropic-ai/claude-agent-sdk']).toBeDefined();
    const sdk = JSON.parse(
      readFileSync(`${root}node_modules/@anthropic-ai/claude-agent-sdk/package.json`, 'utf8'),
    );
    expect(Object.keys(sdk.optionalDependencies)).toContain('@anthropic-ai/claude-agent-sdk-linux-x64');
  });
});
