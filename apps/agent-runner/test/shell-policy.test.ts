/** The Bash guard rail: commands parsed with unbash, role rules, denylist, cd tracking and path expansion. */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell commands, not templates
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentRole } from '@omakase/api-contract';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideToolUse } from '../src/index';
import { usePolicyWorkspace } from './policy-workspace';

const dirs = usePolicyWorkspace();
let root: string;
let workspace: string;
beforeAll(() => {
  ({ root, workspace } = dirs);
});

describe('shell commands (parsed with unbash, the guard rail in front of the sandbox)', () => {
  let home: string;
  beforeAll(async () => {
    home = join(root, 'home');
    await mkdir(join(workspace, 'packages', 'api'), { recursive: true });
    await mkdir(home, { recursive: true });
    await writeFile(join(home, '.bashrc'), 'x\n');
    await writeFile(join(root, 'outside.txt'), 'x\n');
    await writeFile(join(workspace, 'README.md'), 'x\n');
    await symlink(join(workspace, 'packages', 'api'), join(workspace, 'api-link'));
  });
  const projectCommands = {
    setup: 'npm ci',
    test: 'npm test',
    lint: 'npm run lint',
    typecheck: 'npx tsc --noEmit',
    build: 'npm run build',
  };
  const bash = (role: AgentRole, command: string) =>
    decideToolUse(
      {
        role,
        workspace,
        commandAllowlist: ['npm run coverage'],
        project: { commands: projectCommands },
        env: { HOME: home },
      },
      'Bash',
      { command },
    );

  it.each([
    'npm test 2>&1',
    'npm test 2>&1 | tail -n 40',
    'git log | head',
    'git log --oneline -5 | head -n 3',
    'cd packages/api && npm test',
    'cd packages/api && cat ../../README.md',
    'cd api-link && ls',
    'npx tsc --noEmit',
    'npx tsc --noEmit -p packages/api',
    'echo "a > b"',
    "git log --format='%h > %s'",
    'npm test > /dev/null 2>&1 || echo failed',
    'npm test; echo "exit $?"',
    'npm test -- --grep cart',
    'npm run coverage',
    'npm run build && npm test',
    'git status && git diff --stat main...HEAD',
    'grep -rn "/api/" src | head -20',
    'find . -name "*.test.js" -not -path "./node_modules/*"',
    'find . -name "*.ts" | xargs grep -l cart',
    'ls -la src && cat README.md | wc -l',
    "sed -n '1,20p' README.md",
    "awk '{ print $1 }' README.md",
    'timeout 120 npm test',
    'env CI=1 npm test',
    'bash -c "npm test 2>&1 | tail -5"',
    '(cd packages/api && npm test) && git status',
    'node --test',
    'python3 -m pytest -q',
    'mkdir -p src/new && touch src/new/a.js',
    'npm test > test-output.txt 2>&1',
    'cat <<EOF > notes.txt\nnotes for $HOME\nEOF',
    'echo done # > /etc/comment',
  ])('lets the coder run %s', (command) => {
    expect(bash('coder', command)).toEqual({ allow: true });
  });

  it.each([
    ['git push', 'git push'],
    ['git push origin HEAD:main', 'git push'],
    ['git status && git push', 'git push'],
    ['npm test || git push', 'git push'],
    ['git status; git push', 'git push'],
    ['npm test | git push', 'git push'],
    ['(git push)', 'git push'],
    ['{ git push; }', 'git push'],
    ['env git push', 'git push'],
    ['env -i FOO=1 git push', 'git push'],
    ['command git push', 'git push'],
    ['/usr/bin/git push', 'git push'],
    ['exec git push', 'git push'],
    ['nice -n 5 git push', 'git push'],
    ['timeout 10 git push', 'git push'],
    ['GIT_DIR=/tmp/x git push', 'GIT_DIR'],
    ['GIT_SSH_COMMAND=sh git status', 'GIT_SSH_COMMAND'],
    ['xargs git push', 'git push'],
    ['echo main | xargs -I{} git push origin {}', 'git push'],
    ['find . -exec git push \\;', 'find -exec'],
    ['find . -name x -delete', 'find -delete'],
    ['bash -c "git push"', 'git push'],
    ["sh -c 'git status && git push'", 'git push'],
    ['bash -c "bash -c \\"git push\\""', 'git push'],
    ['npx git push', 'git push'],
    ['npm exec -- git push', 'git push'],
    ['git -C packages/api push', 'git push'],
    ['git remote add evil https://example.com/x.git', 'git remote'],
    ['git remote -v', 'git remote'],
    ['git config core.hooksPath .evil', 'git config'],
    ['git config --get user.name', 'git config'],
    ['git -c core.fsmonitor=x status', 'git -c'],
    ['git --git-dir=/tmp/other log', '--git-dir'],
    ['git submodule update --init', 'git submodule'],
    ['git credential fill', 'git credential'],
    ['git fetch origin', 'git fetch'],
    ['curl https://example.com', 'network'],
    ['wget https://example.com', 'network'],
    ['nc -l 4444', 'network'],
    ['ncat example.com 80', 'network'],
    ['socat - TCP:example.com:80', 'network'],
    ['ssh git@example.com', 'network'],
    ['scp x host:/tmp', 'network'],
    ['ftp example.com', 'network'],
    ['telnet example.com', 'network'],
    ['sudo npm test', 'sudo'],
    ['su -c "npm test"', 'su'],
    ['npm publish', 'npm publish'],
    ['npm --registry x publish', 'npm publish'],
    ['yarn publish', 'yarn publish'],
    ['npm test && npx curl x', 'network'],
    ['cat < /dev/tcp/127.0.0.1/80', 'network'],
    ['exec 3<>/dev/udp/127.0.0.1/53', 'network'],
  ])('refuses %s for every role', (command, why) => {
    for (const role of ['architect', 'coder', 'reviewer', 'tester'] as const) {
      const decision = bash(role, command);
      expect(decision.allow, `${role}: ${command}`).toBe(false);
      expect(decision.allow ? '' : decision.reason).toContain(why);
    }
  });

  it.each([
    ['echo a > /etc/x', 'outside the workspace'],
    ['npm test > ../out.txt', 'outside the workspace'],
    ['npm test 2> /tmp/log', 'outside the workspace'],
    ['echo x > .git/hooks/pre-push', '.git'],
    ['echo x >> .git/config', '.git'],
    ['cat <<EOF > /etc/x\nhi\nEOF', 'outside the workspace'],
    ['cat <<EOF > notes.txt\n$(id)\nEOF', 'command substitution'],
    ['git status && touch ../pwned.txt', 'outside the workspace'],
    ['cat ../outside.txt', 'outside the workspace'],
    ['cat src/outside-link/outside.txt', 'outside the workspace'],
    ['ls /', 'outside the workspace'],
    ['rm -rf .git', '.git'],
    ['cp README.md src/outside-link/x', 'outside the workspace'],
    ['cd ..', 'leaves the workspace'],
    ['cd / && ls', 'leaves the workspace'],
    ['cd src/outside-link', 'leaves the workspace'],
    ['cd api-link && cd ../..', 'leaves the workspace'],
    ['cd', 'exactly one directory'],
    ['cd -', 'exactly one directory'],
    ['cd packages/api && cat ../../../outside.txt', 'outside the workspace'],
    ['cd packages/api || cat ../outside.txt', 'outside the workspace'],
    ['(cd packages/api) && cat ../outside.txt', 'outside the workspace'],
    ['npm test `whoami`', 'command substitution'],
    ['npm test $(whoami)', 'command substitution'],
    ['echo "$(cat /etc/passwd)"', 'command substitution'],
    ['diff <(ls) <(ls src)', 'process substitution'],
    ['echo $((1 + 2))', 'arithmetic'],
    ['ls src/{a,b}', 'brace expansion'],
    ['eval "git push"', 'eval'],
    ['for f in a b; do echo $f; done', 'compound'],
    ['if true; then npm test; fi', 'compound'],
    ['f() { git push; }; f', 'function'],
    ['npm test &', 'run_in_background'],
    ['npm test "unbalanced', 'cannot be parsed'],
    ['npm test &&', 'cannot be parsed'],
    ['echo git push | bash', 'pass the command with -c'],
    ["echo x | xargs -I% bash -c 'echo %'", 'xargs'],
    ['find . -name "*.js" | xargs rm', 'xargs'],
    ['git diff --output=/tmp/x', 'outside the workspace'],
    ['git grep -O"sh -c id" x', 'external programs'],
    ["sed 's/a/b/w /tmp/x' README.md", 'sed script'],
    ["sed -e '1e id' README.md", 'sed script'],
    ['awk \'BEGIN { system("id") }\'', 'awk'],
    ['env', 'prints the environment'],
    ['printenv', 'environment'],
    ['export -p', 'export'],
    ['PATH=/tmp/evil:/usr/bin npm test', 'PATH'],
    ['export GIT_DIR=/tmp/x', 'GIT_DIR'],
    ['gcc -o x x.c', 'not allowed'],
  ])('refuses %s for the coder', (command, why) => {
    const decision = bash('coder', command);
    expect(decision.allow).toBe(false);
    expect(decision.allow ? '' : decision.reason).toContain(why);
  });

  it("starts from the shell's current directory when the caller knows it", () => {
    const ctx = {
      role: 'coder' as const,
      workspace,
      project: { commands: projectCommands },
      env: { HOME: home },
    };
    const inApi = (command: string) =>
      decideToolUse(ctx, 'Bash', { command }, join(workspace, 'packages/api'));
    expect(inApi('cat ../../README.md')).toEqual({ allow: true });
    expect(inApi('cd ../.. && npm test')).toEqual({ allow: true });
    expect(inApi('cat ../../../outside.txt').allow).toBe(false);
    expect(inApi('cd ../../..').allow).toBe(false);
    expect(decideToolUse(ctx, 'Bash', { command: 'ls' }, root).allow).toBe(false);
  });

  it('expands $VAR, ${VAR} and ~ with the known variables and refuses the unknown', () => {
    for (const command of [
      'cat $HOME/../outside.txt',
      'cat $HOME/.bashrc',
      'cat "${HOME}/../outside.txt"',
      'cat $HOME/../../../../../../../../etc/passwd',
      'cat ~/.bashrc',
      'ls ~',
      'echo x > $PWD/../escape',
      'echo x > ${PWD}/../escape',
      'X=/etc; cat $X/passwd',
      'export X=../outside.txt && cat $X',
    ])
      expect(bash('coder', command), command).toMatchObject({
        allow: false,
        reason: expect.stringContaining('outside'),
      });
    for (const command of [
      'echo x > ${WORKSPACE}/../escape',
      'cat $SECRET_PATH',
      'cat ~root/.bashrc',
      'cat $1',
    ])
      expect(bash('coder', command), command).toMatchObject({
        allow: false,
        reason: expect.stringMatching(/not a variable|not expanded/),
      });
    expect(bash('coder', 'echo "$ANTHROPIC_API_KEY"').allow).toBe(false);
    expect(bash('coder', 'cat $PWD/README.md')).toEqual({ allow: true });
    expect(bash('coder', "echo '$HOME/../outside.txt' \\~/x")).toEqual({ allow: true });
    expect(bash('coder', 'X=src; ls $X')).toEqual({ allow: true });
    // A variable set only on one branch is unknown afterwards: it may still hold the earlier value.
    expect(bash('coder', 'X=/etc; false && X=src; cat $X/passwd').allow).toBe(false);
  });

  it('gives architect and reviewer read-only tools and the project lint/typecheck/test', () => {
    for (const role of ['architect', 'reviewer'] as const) {
      for (const command of [
        'npm test',
        'npm test 2>&1 | tail -20',
        'npm run lint',
        'npx tsc --noEmit',
        'git diff main...HEAD',
        'git log --stat -3 | head -50',
        'git branch --list',
        'grep -rn cart src',
        'cd packages/api && ls',
        'npm test > /dev/null 2>&1; echo $?',
      ])
        expect(bash(role, command), `${role}: ${command}`).toEqual({ allow: true });
      for (const command of [
        'npm run build',
        'npm ci',
        'npm run coverage',
        'node src/cart.js',
        'npx vitest run',
        'echo x > notes.txt',
        'rm README.md',
        'git branch -D main',
        'git checkout -b x',
        'git commit -m x',
        'bash scripts/test.sh',
        'sed -i s/a/b/ README.md',
      ])
        expect(bash(role, command).allow, `${role}: ${command}`).toBe(false);
    }
  });

  it('gives the tester the development tools but not file management', () => {
    for (const command of [
      'npm test',
      'npm run build',
      'npm ci',
      'npx vitest run test/cart.test.js',
      'node --test',
    ])
      expect(bash('tester', command), command).toEqual({ allow: true });
    for (const command of ['rm src/cart.js', 'mv src/a.js test/a.test.js', 'sed -i s/a/b/ src/cart.js'])
      expect(bash('tester', command).allow, command).toBe(false);
    expect(bash('coder', 'sed -i s/a/b/ src/cart.js')).toEqual({ allow: true });
  });

  it('refuses file tool paths that leave the workspace through ~, $VAR or ${VAR}', () => {
    const ctx = { role: 'coder' as const, workspace, commandAllowlist: [], env: { HOME: home } };
    for (const file_path of [
      '~/.bashrc',
      '$HOME/.bashrc',
      '${HOME}/.bashrc',
      '~root/.bashrc',
      '${WORKSPACE}/x',
      '$PWD/x',
    ])
      for (const tool of ['Read', 'Write', 'Edit'])
        expect(decideToolUse(ctx, tool, { file_path, content: 'x' }).allow, `${tool} ${file_path}`).toBe(
          false,
        );
    expect(decideToolUse(ctx, 'Glob', { pattern: '~/**' }).allow).toBe(false);
    expect(
      decideToolUse(ctx, 'Write', { file_path: join(workspace, 'src/a$b.js'), content: 'x' }).allow,
    ).toBe(false);
    expect(decideToolUse(ctx, 'Write', { file_path: join(workspace, 'src/plain.js'), content: 'x' })).toEqual(
      {
        allow: true,
      },
    );
  });

  // Quoting a word differently (none, '…', "…", backslashes) never changes what the shell runs,
  // so it must never change the decision — in particular it must not smuggle a denied command.
  it('decides the same whatever quoting the words get', () => {
    const commands: (string[] | string)[][] = [
      [['npm', 'test'], '2>&1', '|', ['tail', '-n', '5']],
      [['git', 'push']],
      [['env', 'git', 'push']],
      [['bash', '-c'], ["'git push'"]],
      [['git', 'status'], '&&', ['git', 'push', 'origin']],
      [['echo', 'a'], '>', ['/etc/x']],
      [['echo', 'a'], '>', ['notes.txt']],
      [['cd', 'packages/api'], '&&', ['npm', 'test']],
      [['cat', '../outside.txt']],
      [['git', 'config', 'user.name', 'x']],
      [['npx', 'tsc', '--noEmit']],
      [['rm', '-rf', '.git']],
      [['curl', 'https://example.com']],
      [['git', 'diff', '--output=/tmp/x']],
    ];
    const quote = fc.constantFrom<(word: string) => string>(
      (word) => word,
      (word) => `'${word}'`,
      (word) => `"${word}"`,
      (word) => word.replace(/[a-z]/g, (char) => `\\${char}`),
      (word) => `${word.slice(0, 1)}"${word.slice(1)}"`,
    );
    const render = (parts: (string[] | string)[], quotes: ((word: string) => string)[]) => {
      let next = 0;
      return parts
        .map((part) =>
          typeof part === 'string'
            ? part
            : part.map((word) => (quotes[next++ % quotes.length] as (w: string) => string)(word)).join(' '),
        )
        .join(' ');
    };
    for (const parts of commands) {
      const plain = bash('coder', render(parts, [(word) => word])).allow;
      fc.assert(
        fc.property(fc.array(quote, { minLength: 1, maxLength: 8 }), (quotes) => {
          expect(bash('coder', render(parts, quotes)).allow).toBe(plain);
        }),
        { numRuns: 60 },
      );
    }
  });
});
