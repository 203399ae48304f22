import { CollabClose } from '../../shared/events.js';
import type { AuthSession } from '../auth/tokens.js';

/** What can be told to go away. */
interface Closable {
  close(code: number, reason: string): void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Collab connections by session: each is closed with 4401 when its access token expires, and all
 * of a session's at once when the session is revoked. The provider then needs a fresh token.
 */
export class SessionConnections {
  private readonly bySession = new Map<string, Set<Closable>>();

  /** Tracks `conn` until the returned function is called (on its close). */
  add(session: Pick<AuthSession, 'sid' | 'exp'>, conn: Closable): () => void {
    let set = this.bySession.get(session.sid);
    if (!set) this.bySession.set(session.sid, (set = new Set()));
    set.add(conn);
    const timer = setTimeout(() => conn.close(CollabClose.UNAUTHENTICATED, 'token expired'), Math.min(MAX_TIMER_MS, Math.max(0, session.exp * 1000 - Date.now())));
    return () => {
      clearTimeout(timer);
      set.delete(conn);
      if (set.size === 0 && this.bySession.get(session.sid) === set) this.bySession.delete(session.sid);
    };
  }

  /** The sessions that have a connection open here. */
  openSessions(): string[] {
    return [...this.bySession.keys()];
  }

  /** Closes every connection of the sessions (revoked). */
  closeSessions(sids: string[]): void {
    for (const sid of sids) for (const conn of [...(this.bySession.get(sid) ?? [])]) conn.close(CollabClose.UNAUTHENTICATED, 'session ended');
  }
}
