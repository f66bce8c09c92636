/** The signed-in caller of a page or server action (session cookie), with org memberships. */
import { AuthError } from '@omakase/auth';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { type Caller, resolveCaller } from './caller';
import { storage } from './storage';

export type PageCaller = { ok: true; caller: Caller } | { ok: false; reason: string };

/** Redirects to login without a session; a session without a usable org/role is reported, not thrown. */
export const getPageCaller = cache(async (): Promise<PageCaller> => {
  try {
    return { ok: true, caller: await resolveCaller() };
  } catch (error) {
    if (error instanceof AuthError && error.code === 'forbidden') return { ok: false, reason: error.message };
    if (error instanceof AuthError) redirect('/auth/login');
    throw error;
  }
});

export const getMemberships = cache(async (subject: string) =>
  storage().organizations.membershipsOf(subject),
);
