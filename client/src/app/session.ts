import type { OutboxStorage, Session } from '@menteo/sdk';

const SESSION_KEY = 'menteo.session';

/** The signed-in session kept in localStorage (token and the user it belongs to). */
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
