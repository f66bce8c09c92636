/** Browser calls to /api/v1 with the session cookie; failures carry the API's code, message and field. */

import type { BoardDto } from '@omakase/api-contract';
import { OmakaseError } from '@omakase/domain';

export class ClientApiError extends OmakaseError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly field?: string,
  ) {
    super(code, message);
  }
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string; field?: string };
  } | null;
  if (!response.ok) {
    const e = json?.error;
    throw new ClientApiError(
      response.status,
      e?.code ?? 'error',
      e?.message ?? response.statusText,
      e?.field,
    );
  }
  return json as T;
}

export const commands = {
  feature: (id: string, command: 'start' | 'stop' | 'retry') =>
    api('POST', `/api/v1/features/${id}/${command}`),
  answer: (id: string, answer: string) => api('POST', `/api/v1/features/${id}/answer`, { answer }),
  project: (id: string, command: 'start' | 'pause' | 'stop') =>
    api('POST', `/api/v1/projects/${id}/${command}`),
  board: (projectId: string) => api<BoardDto>('GET', `/api/v1/projects/${projectId}/board`),
};
