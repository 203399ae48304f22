import type { OutboxStorage, Session, SharedTokens } from '@menteo/sdk';

const SESSION_KEY = 'menteo.session';

/** The signed-in session kept in localStorage (access and refresh tokens, and the user they belong to). */
export function loadSession(): Session | null {
  try {
    const raw = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as Partial<Session> | null;
    return raw && typeof raw.token === 'string' && raw.user && typeof raw.user.id === 'string' ? (raw as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(SESSION_KEY);
}

/**
 * The tabs of one browser share the stored session, so they refresh one at a time (Web Locks
 * where available) and a tab adopts the pair another tab stored rather than reusing a rotated
 * refresh token, which the server would take for theft and end the session everywhere.
 */
export function browserSharedTokens(userId: string): SharedTokens {
  return {
    read: () => {
      const s = loadSession();
      return s && s.user.id === userId && s.refreshToken ? { token: s.token, refreshToken: s.refreshToken } : null;
    },
    exclusive: <T>(fn: () => Promise<T>): Promise<T> => {
      const locks = (navigator as { locks?: { request(name: string, cb: () => Promise<unknown>): Promise<unknown> } }).locks;
      return locks ? (locks.request('menteo.refresh', fn) as Promise<T>) : fn();
    },
  };
}

const outboxKey = (userId: string) => `menteo.outbox.${userId}`;

/** The outbox of one user in localStorage: unsent messages survive a reload or a closed tab. */
export function outboxStorage(userId: string): OutboxStorage {
  const key = outboxKey(userId);
  return {
    load: () => {
      try {
        return JSON.parse(localStorage.getItem(key) ?? '[]');
      } catch {
        return [];
      }
    },
    save: (entries) => {
      try {
        localStorage.setItem(key, JSON.stringify(entries));
      } catch {
        // Storage full or disabled (private mode): the outbox still works for this page's lifetime.
      }
    },
  };
}

/** Forgets a user's unsent messages (on sign-out). */
export function clearOutbox(userId: string): void {
  localStorage.removeItem(outboxKey(userId));
}
