/** Runs once when the Next.js server starts: the HTTP server stamps each request with its socket peer. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installPeerStamp } = await import('./server/security/peer-stamp');
  installPeerStamp();
}
