import type postgres from 'postgres';

interface Channel {
  handlers: Set<(payload: string) => void>;
  ready: Promise<unknown>;
}

const channelsBySql = new WeakMap<postgres.Sql, Map<string, Channel>>();

/**
 * LISTEN on `channel` through postgres.js, which keeps one dedicated connection for all
 * listeners of an `Sql` instance and re-issues LISTEN after that connection drops.
 * We register a single postgres.js listener per channel and fan out ourselves, because
 * postgres.js's own `unlisten` stops matching its listener once it has re-listened.
 * Notifications sent while the connection is down are lost: consumers must treat the feed
 * as a hint and re-read state.
 */
export async function listen(
  sql: postgres.Sql,
  channel: string,
  handler: (payload: string) => void,
  onError: (error: unknown) => void,
): Promise<() => Promise<void>> {
  let channels = channelsBySql.get(sql);
  if (!channels) {
    channels = new Map();
    channelsBySql.set(sql, channels);
  }
  let entry = channels.get(channel);
  if (!entry) {
    const handlers = new Set<(payload: string) => void>();
    const ready = sql.listen(channel, (payload) => {
      for (const deliver of handlers) {
        try {
          deliver(payload);
        } catch (error) {
          onError(error);
        }
      }
    });
    entry = { handlers, ready };
    channels.set(channel, entry);
    const registered = channels;
    ready.catch(() => registered.delete(channel));
  }
  entry.handlers.add(handler);
  try {
    await entry.ready;
  } catch (error) {
    entry.handlers.delete(handler);
    throw error;
  }
  const subscribed = entry;
  return async () => {
    subscribed.handlers.delete(handler);
  };
}
