import type { SelfUser } from '../../../shared/types.js';
import type { MenteoClient, RoomDirectory, Session } from '@menteo/sdk';

/** What every view may use: the signed-in session and its client, navigation, notices. */
export interface AppContext {
  /** The current session; views behind `member` routes always have one. */
  readonly session: Session;
  readonly client: MenteoClient;
  /** My rooms, kept live; shared by every view that lists rooms. */
  readonly directory: RoomDirectory;
  navigate(path: string, opts?: { replace?: boolean }): void;
  /** Starts a signed-in session (after sign-up or sign-in) and goes to `next`. */
  signIn(session: Session, next?: string): void;
  signOut(): void;
  /** The signed-in user changed (profile saved): keep the session and the header current. */
  updateUser(user: SelfUser): void;
  /** A short notice read out by screen readers (errors of background actions). */
  notify(message: string, tone?: 'info' | 'error'): void;
}
