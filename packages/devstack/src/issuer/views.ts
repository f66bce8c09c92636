/** Small, dependency-free HTML pages for the local issuer. */
import { directory } from './directory';

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE = `
  body{font-family:system-ui,-apple-system,sans-serif;background:#f5f5f4;color:#1c1917;margin:0;
    display:flex;min-height:100vh;align-items:center;justify-content:center}
  main{background:#fff;border:1px solid #e7e5e4;border-radius:12px;padding:2rem;width:22rem;
    box-shadow:0 1px 3px rgba(0,0,0,.06)}
  h1{font-size:1.25rem;margin:0 0 .25rem}p.sub{color:#78716c;margin:0 0 1.5rem;font-size:.9rem}
  label{display:block;font-size:.85rem;margin:.75rem 0 .25rem}
  input{width:100%;box-sizing:border-box;padding:.55rem .7rem;border:1px solid #d6d3d1;border-radius:8px;font-size:.95rem}
  button{margin-top:1.25rem;width:100%;padding:.6rem;border:0;border-radius:8px;background:#1c1917;color:#fff;
    font-size:.95rem;cursor:pointer}
  .error{background:#fef2f2;color:#b91c1c;border:1px solid #fecaca;border-radius:8px;padding:.5rem .75rem;font-size:.85rem}
  .demo{margin-top:1.5rem;font-size:.8rem;color:#57534e}.demo code{font-size:.8rem}
  .demo ul{padding-left:1.1rem;margin:.4rem 0}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function loginPage(opts: {
  action: string;
  email?: string;
  error?: string;
  organization?: string;
}): string {
  const logins = directory.users
    .map(
      (u) =>
        `<li><code>${escapeHtml(u.email)}</code> — ${escapeHtml(u.memberships.map((m) => `${m.org} ${m.role}`).join(', '))}</li>`,
    )
    .join('');
  return page(
    'Sign in · Omakase',
    `<h1>Sign in to Omakase</h1><p class="sub">Local identity provider${
      opts.organization ? ` · organisation <code>${escapeHtml(opts.organization)}</code>` : ''
    }</p>
${opts.error ? `<div class="error" role="alert">${escapeHtml(opts.error)}</div>` : ''}
<form method="post" action="${escapeHtml(opts.action)}" autocomplete="off">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" required autofocus value="${escapeHtml(opts.email ?? '')}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" required>
  <button type="submit">Continue</button>
</form>
<div class="demo">Demo logins (password <code>demo</code>):<ul>${logins}</ul></div>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(message)}</p>`);
}

/** oidc-provider's logout confirmation, submitted automatically (Auth0 logs out without asking). */
export function autoLogoutPage(form: string): string {
  const withLogout = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
  return page(
    'Signing out · Omakase',
    `<h1>Signing out…</h1>${withLogout}<noscript><button form="op.logoutForm" type="submit">Sign out</button></noscript>
<script>document.forms[0].submit()</script>`,
  );
}
