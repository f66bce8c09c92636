import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRedactor, decideToolUse } from '../src/index';
import { usePolicyWorkspace } from './policy-workspace';

const dirs = usePolicyWorkspace();
let root: string;
let workspace: string;
beforeAll(() => {
  ({ root, workspace } = dirs);
});

const allowlist = ['npm test', 'git status', 'git diff'];

describe('decideToolUse', () => {
  const ctx = (role: 'architect' | 'coder' | 'reviewer' | 'tester') => ({
    role,
    workspace,
    commandAllowlist: allowlist,
  });

  it('keeps file tools inside the workspace, through symlinks', () => {
    expect(decideToolUse(ctx('coder'), 'Write', { file_path: join(workspace, 'src/a.js') })).toEqual({
      allow: true,
    });
    expect(decideToolUse(ctx('coder'), 'Write', { file_path: join(workspace, '../x.txt') }).allow).toBe(
      false,
    );
    expect(
      decideToolUse(ctx('coder'), 'Write', { file_path: join(workspace, 'src/outside-link/x.txt') }).allow,
    ).toBe(false);
    expect(decideToolUse(ctx('reviewer'), 'Read', { file_path: '/etc/passwd' }).allow).toBe(false);
    expect(decideToolUse(ctx('architect'), 'Glob', { pattern: '../**/*.ts' }).allow).toBe(false);
    expect(
      decideToolUse(ctx('coder'), 'Edit', { file_path: join(workspace, '.git/hooks/pre-commit') }).allow,
    ).toBe(false);
  });

  it('gives each role only its own tools', () => {
    expect(decideToolUse(ctx('architect'), 'Write', { file_path: join(workspace, 'a.js') }).allow).toBe(
      false,
    );
    expect(decideToolUse(ctx('reviewer'), 'Bash', { command: 'node src/cart.js' }).allow).toBe(false);
    expect(decideToolUse(ctx('reviewer'), 'Bash', { command: 'git diff main...HEAD' }).allow).toBe(true);
    expect(decideToolUse(ctx('tester'), 'Write', { file_path: join(workspace, 'src/cart.js') }).allow).toBe(
      false,
    );
    expect(
      decideToolUse(ctx('tester'), 'Write', { file_path: join(workspace, 'test/cart.test.js') }).allow,
    ).toBe(true);
    expect(
      decideToolUse(ctx('tester'), 'Write', { file_path: join(workspace, 'src/cart.spec.ts') }).allow,
    ).toBe(true);
    expect(decideToolUse(ctx('architect'), 'mcp__omakase__submit_plan', {}).allow).toBe(true);
    expect(decideToolUse(ctx('architect'), 'mcp__omakase__submit_review', {}).allow).toBe(false);
    expect(decideToolUse(ctx('coder'), 'WebFetch', { url: 'https://example.com' }).allow).toBe(false);
  });
});

describe('redaction and naming', () => {
  it('redacts the run token, API keys and credential-shaped strings', () => {
    const { redact } = createRedactor(['run-token-123456']);
    const out = redact({
      a: 'token run-token-123456 ok',
      b: ['sk-ant-api03-abcdefghijkl', 'Bearer abc.def.ghi123'],
    });
    expect(JSON.stringify(out)).not.toMatch(/run-token-123456|sk-ant-api03|abc\.def/);
    expect(out.a).toBe('token [REDACTED] ok');
  });
});

describe('writes through dangling symlinks', () => {
  beforeAll(async () => {
    await mkdir(join(workspace, '.git', 'hooks'), { recursive: true });
    await mkdir(join(workspace, 'test'), { recursive: true });
    await symlink('../.git/hooks/pre-push', join(workspace, 'test', 'dangling.test.js'));
    await symlink(join(root, 'nowhere', 'x.test.js'), join(workspace, 'test', 'away.test.js'));
    await symlink('loop-b.test.js', join(workspace, 'test', 'loop-a.test.js'));
    await symlink('loop-a.test.js', join(workspace, 'test', 'loop-b.test.js'));
  });
  const write = (file: string) =>
    decideToolUse({ role: 'tester', workspace, commandAllowlist: [] }, 'Write', {
      file_path: join(workspace, file),
      content: 'x',
    });

  it('follows a dangling link into .git and refuses it', () => {
    expect(write('test/dangling.test.js')).toMatchObject({
      allow: false,
      reason: expect.stringMatching(/\.git/),
    });
  });
  it('follows a dangling link out of the workspace and refuses it', () => {
    expect(write('test/away.test.js')).toMatchObject({
      allow: false,
      reason: expect.stringMatching(/outside/),
    });
  });
  it('refuses a symlink loop', () => {
    expect(write('test/loop-a.test.js').allow).toBe(false);
  });
  it('still allows a new test file', () => {
    expect(write('test/new.test.js')).toEqual({ allow: true });
  });
});
