import type { OutboxStorage } from './outbox.js';

/** What the outbox needs of an async key-value store: React Native's AsyncStorage has this shape. */
export interface AsyncKeyValue {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
}

/** An OutboxStorage over an async store, plus a way to wait for the saves in flight. */
export interface AsyncOutboxStorage extends OutboxStorage {
  /** Resolves once every save so far has reached the store (before the app is suspended, say). */
  flushed(): Promise<void>;
}

/**
 * OutboxStorage is synchronous (the outbox saves after every change), so the unsent entries are
 * read once here, before the client is built, and each save is written behind the previous one:
 * writes never reorder, and a burst of saves collapses into the latest. A failed write goes to
 * `onError` and the next save tries again with the full list.
 */
export async function asyncOutboxStorage(kv: AsyncKeyValue, key: string, onError: (err: unknown) => void = () => {}): Promise<AsyncOutboxStorage> {
  const raw = await kv.getItem(key);
  let data: unknown = [];
  try {
    data = raw === null ? [] : JSON.parse(raw);
  } catch (err) {
    onError(err);
  }
  let latest: string | null = null;
  let writing: Promise<void> = Promise.resolve();
  const writeLatest = async () => {
    const value = latest;
    if (value === null) return;
    latest = null;
    try {
      await kv.setItem(key, value);
    } catch (err) {
      onError(err);
    }
  };
  return {
    load: () => data,
    save(entries) {
      data = entries;
      latest = JSON.stringify(entries);
      writing = writing.then(writeLatest);
    },
    flushed: () => writing,
  };
}
