/** Runs once when the Next.js server starts: the HTTP server stamps each request with its socket peer. */
export async function register(): Promise<void> {
  // Next's own marker of the runtime this copy is bundled for (set by Next, not configuration): this
  // runs before any of our config can be read, in the edge runtime too.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installPeerStamp } = await import('./server/security/peer-stamp');
  installPeerStamp();
}
