'use client';
/** Runs one /api/v1 call, keeps its error for inline display, and refreshes the server-rendered page. */
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ApiClientError } from '@/client/api';

export function useMutation() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = async <T,>(call: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    try {
      const result = await call();
      startTransition(() => router.refresh());
      return result;
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : 'Something went wrong; try again.');
      return undefined;
    }
  };
  return { run, error, pending };
}

export function InlineError({ error, testId }: { error: string | null; testId: string }) {
  if (!error) return null;
  return (
    <p role="alert" data-testid={testId} className="text-sm text-danger">
      {error}
    </p>
  );
}
