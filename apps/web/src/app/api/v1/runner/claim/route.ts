import { claimWarmRun } from '@/server/warm-claim';

/** Warm runner tasks (M2M token with `runs:claim`): long-poll for the one run this task will serve. */
export const POST = claimWarmRun;
/** The long-poll holds the request up to 25 s (within Vercel's function limits). */
export const maxDuration = 60;
