/** The "stack is up" banner printed once the web app answers. */
import { DEMO_DIRECTORY, DEMO_PASSWORD } from '@omakase/db';

export interface BannerInfo {
  url: string;
  seconds: number;
  demoMode: boolean;
  externalAuth: boolean;
  issuerUrl?: string;
  databaseUrl: string;
}

const LOGINS = ['owner@demo.local', 'member@demo.local', 'viewer@demo.local', 'other@other.local'];

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

export function banner(info: BannerInfo): string {
  const bold = (s: string) => `\x1b[1m${s}\x1b[0m`;
  const lines = [
    '',
    bold(`  Omakase is running at ${info.url}`),
    `  ready in ${info.seconds.toFixed(1)} s`,
    '',
  ];
  if (info.externalAuth) {
    lines.push('  Sign-in: your Auth0 tenant.');
  } else {
    lines.push(
      `  Sign-in: local identity provider at ${info.issuerUrl} — password "${DEMO_PASSWORD}" for every login:`,
    );
    for (const email of LOGINS) {
      const user = DEMO_DIRECTORY.users.find((u) => u.email === email);
      const roles = user?.memberships.map((m) => `${m.role} of ${m.org}`).join(', ') ?? '';
      lines.push(`    ${email.padEnd(20)} ${roles}`);
    }
  }
  lines.push('');
  lines.push(
    info.demoMode
      ? '  Demo mode: no ANTHROPIC_API_KEY, agents talk to the scripted model server (no cost, canned answers).'
      : '  Agents use the Anthropic API (ANTHROPIC_API_KEY is set).',
  );
  lines.push(`  Database: ${redact(info.databaseUrl)}`);
  lines.push('  Press Ctrl-C to stop.', '');
  return lines.join('\n');
}
