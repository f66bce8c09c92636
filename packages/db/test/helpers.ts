import type { Change, OrgId, ProjectId, TenantStore } from '@omakase/domain';
import { afterAll } from 'vitest';
import { createStorage, type PostgresStorage } from '../src/storage';
import { closeTestDatabases, createTestDatabase } from '../src/testing';

/** A storage on a fresh database, closed and dropped after the file's tests. */
export async function useStorage(): Promise<{ storage: PostgresStorage; url: string }> {
  const database = await createTestDatabase();
  const storage = createStorage(database.url, { maxConnections: 25 });
  afterAll(async () => {
    await storage.close();
    await database.drop();
    await closeTestDatabases();
  });
  return { storage, url: database.url };
}

let counter = 0;

export async function newOrg(storage: PostgresStorage, name = 'Org'): Promise<TenantStore> {
  counter += 1;
  const org = await storage.organizations.create({
    name,
    externalId: `ext_${Date.now()}_${counter}_${Math.random()}`,
  });
  return storage.forOrg(org.id);
}

export async function newProject(store: TenantStore, keyPrefix = 'DEMO'): Promise<ProjectId> {
  const project = await store.projects.create({
    name: `project-${keyPrefix}-${Math.random().toString(36).slice(2)}`,
    keyPrefix,
    repositoryUrl: 'file:///tmp/repo',
  });
  return project.id;
}

/** Resolves with the first value `take` accepts, or rejects after `timeoutMs`. */
export function waitFor<T>(
  subscribe: (push: (value: T) => void) => void,
  accept: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    subscribe((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Collects every change into `seen`; `next(pred)` waits for a matching one (including past ones). */
export async function recordChanges(storage: PostgresStorage) {
  const seen: Change[] = [];
  const waiters = new Set<{ accept: (c: Change) => boolean; resolve: (c: Change) => void }>();
  const unsubscribe = await storage.changes.subscribe((change) => {
    seen.push(change);
    for (const waiter of waiters) {
      if (waiter.accept(change)) {
        waiters.delete(waiter);
        waiter.resolve(change);
      }
    }
  });
  const next = (accept: (c: Change) => boolean, timeoutMs = 5000): Promise<Change> => {
    const already = seen.find(accept);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter = {
        accept,
        resolve: (c: Change) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching change within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };
  return { seen, next, unsubscribe };
}

export type { OrgId };
