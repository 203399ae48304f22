import type { z } from 'zod';
import { LoginIn, PasswordChangeIn, ProfilePatchIn, RegisterIn } from '../../../shared/schemas/auth.js';
import { MentorQuery } from '../../../shared/schemas/contract.js';
import { MessagePostIn } from '../../../shared/schemas/message.js';
import { HistoryQuery, RoomCreateIn } from '../../../shared/schemas/room.js';
import type { Message, PublicUser, Room, RoomId, RoomSummary, SelfUser, UserId } from '../../../shared/types.js';
import { SdkError } from './errors.js';
import { AccountabilityApi } from './rest-accountability.js';
import { LifecycleApi } from './rest-lifecycle.js';
import { RoadmapApi } from './rest-roadmap.js';
import { NotificationsApi } from './rest-notifications.js';
import { ThreadsApi } from './rest-threads.js';

/** A signed-in user and the bearer token that proves it. */
export interface Session {
  user: SelfUser;
  /** Short-lived access token (15 minutes by default). */
  token: string;
  /** Renews `token` (rotated on every use); absent from servers before sessions. */
  refreshToken?: string;
}

/** The tokens of a session after a refresh, or null when the session has ended (refresh refused). */
export type TokenChange = { token: string; refreshToken: string } | null;

/**
 * Tokens shared by several clients of one session (browser tabs): a refresh token works once, so
 * two tabs refreshing with the same one would look like theft and end the session. Refreshes run
 * one at a time (`exclusive`), and a client first adopts a pair another one already stored (`read`).
 */
export interface SharedTokens {
  read(): { token: string; refreshToken: string } | null;
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** A page of history in ascending seq; `hasMore` says another page exists in the direction asked. */
export interface HistoryPage {
  messages: Message[];
  hasMore: boolean;
}

export interface RestOptions {
  /** Server origin, e.g. `http://localhost:3000`; '' (the default) means the page's own origin. */
  baseUrl?: string;
  /** Bearer token for authenticated routes. */
  token?: string;
  /** Refresh token: on UNAUTHENTICATED the client refreshes once with it and retries. */
  refreshToken?: string;
  /** Coordinates refreshes with other clients of the same session (see SharedTokens). */
  sharedTokens?: SharedTokens;
  /** fetch to use (tests, React Native); defaults to the global one. */
  fetch?: typeof fetch;
}

/** A room as its members read it: the room, both members' public profiles, and what the current stage still needs. */
export interface RoomDetail {
  room: Room;
  members: PublicUser[];
  /** Short sentences from the server (docs/LIFECYCLE.md "Next steps"); absent on servers before the lifecycle feature. */
  nextSteps: string[];
}

/** One page of mentor search results; pass `nextCursor` back as `cursor` for the next (null: last page). */
export interface MentorPage {
  mentors: PublicUser[];
  nextCursor: string | null;
}

/** Routes whose 401 is the answer itself, not an expired token. */
const NO_REFRESH = new Set(['/auth/login', '/auth/register', '/auth/refresh']);

/** Validates input with the shared schema before it leaves, so a form gets the server's rules at once. */
export function check<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    throw new SdkError('INVALID_INPUT', `invalid ${what}: ${where}${first?.message ?? 'invalid'}`, undefined, parsed.error.issues);
  }
  return parsed.data;
}

/** Typed REST calls (DESIGN §4). Every failure is an SdkError; inputs are checked with the shared schemas. */
export class RestClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private token: string | undefined;
  private refreshToken: string | undefined;
  /** The refresh in flight: concurrent 401s share one (a second use of a rotated token would end the session). */
  private refreshing: Promise<boolean> | null = null;
  private readonly tokenListeners = new Set<(change: TokenChange) => void>();
  private readonly shared: SharedTokens | undefined;
  /** Contract, goals, stage changes and the record of achievement (docs/LIFECYCLE.md). */
  readonly lifecycle: LifecycleApi;
  /** Check-ins, sessions and action items, health, reply promises, pause (issue 19). */
  readonly care: AccountabilityApi;
  /** The roadmap read over REST and its templates (docs/COLLAB.md); live editing is RoadmapSession. */
  readonly roadmap: RoadmapApi;
  /** Growth threads, entries, comments and the public feed (docs/THREADS.md). */
  readonly threads: ThreadsApi;
  /** The notification inbox and preferences (docs/NOTIFICATIONS.md). */
  readonly notifications: NotificationsApi;

  constructor(opts: RestOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? '').replace(/\/$/, '');
    this.fetchFn = opts.fetch ?? ((...args) => globalThis.fetch(...args));
    this.token = opts.token;
    this.refreshToken = opts.refreshToken;
    this.shared = opts.sharedTokens;
    this.lifecycle = new LifecycleApi(this);
    this.care = new AccountabilityApi(this);
    this.roadmap = new RoadmapApi(this);
    this.threads = new ThreadsApi(this);
    this.notifications = new NotificationsApi(this);
  }

  /** The server origin this client talks to ('' = the page's own). */
  get origin(): string {
    return this.baseUrl;
  }

  /** The bearer token in use (the collab endpoint takes it as a query parameter). */
  get currentToken(): string | undefined {
    return this.token;
  }

  /** The refresh token in use (undefined when there is none, or after the session ended). */
  get currentRefreshToken(): string | undefined {
    return this.refreshToken;
  }

  /** Uses `token` (and `refreshToken`, when given) for later calls (after sign-in). */
  setToken(token: string | undefined, refreshToken?: string): void {
    this.token = token;
    if (refreshToken !== undefined || token === undefined) this.refreshToken = refreshToken;
  }

  /** Told when a refresh replaced the tokens (store them) or found the session ended (null). Returns the unsubscribe. */
  onTokens(fn: (change: TokenChange) => void): () => void {
    this.tokenListeners.add(fn);
    return () => this.tokenListeners.delete(fn);
  }

  /**
   * Trades the refresh token for a new pair (POST /api/auth/refresh). Resolves true when it did;
   * false when there is no refresh token or the server refused it (the session ended: listeners
   * get null). Concurrent callers share one request. Network failures throw.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private doRefresh(): Promise<boolean> {
    if (!this.shared) return this.refreshNow();
    const shared = this.shared;
    return shared.exclusive(async () => {
      const latest = shared.read();
      if (latest && this.refreshToken && latest.refreshToken !== this.refreshToken) {
        // Another client of this session refreshed already: use its pair instead of reusing ours.
        this.token = latest.token;
        this.refreshToken = latest.refreshToken;
        return true;
      }
      return this.refreshNow();
    });
  }

  private async refreshNow(): Promise<boolean> {
    const refreshToken = this.refreshToken;
    if (!refreshToken) return false;
    try {
      const pair = (await this.send('POST', '/auth/refresh', { refreshToken }, 'application/json', false)).json as { token: string; refreshToken: string };
      this.token = pair.token;
      this.refreshToken = pair.refreshToken;
      for (const fn of this.tokenListeners) fn(pair);
      return true;
    } catch (err) {
      if (!(err instanceof SdkError) || err.code !== 'UNAUTHENTICATED') throw err;
      this.token = undefined;
      this.refreshToken = undefined;
      for (const fn of this.tokenListeners) fn(null);
      return false;
    }
  }

  /** One call: JSON in, JSON out; a non-2xx answer throws the server's error as an SdkError. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { json } = await this.send(method, path, body, 'application/json');
    return json as T;
  }

  /** A GET whose answer is text (e.g. the record as Markdown); errors as for request(). */
  async requestText(path: string, accept = 'text/plain'): Promise<string> {
    return (await this.send('GET', path, undefined, accept)).text;
  }

  private async send(method: string, path: string, body: unknown, accept: string, mayRefresh = true): Promise<{ json: unknown; text: string }> {
    try {
      return await this.sendOnce(method, path, body, accept);
    } catch (err) {
      // An expired access token: refresh once and retry; a second 401 is the answer.
      const retry = mayRefresh && err instanceof SdkError && err.code === 'UNAUTHENTICATED' && this.refreshToken !== undefined && !NO_REFRESH.has(path);
      if (!retry || !(await this.refresh())) throw err;
      return this.sendOnce(method, path, body, accept);
    }
  }

  private async sendOnce(method: string, path: string, body: unknown, accept: string): Promise<{ json: unknown; text: string }> {
    const headers: Record<string, string> = { accept };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchFn(`${this.baseUrl}/api${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    } catch (err) {
      throw new SdkError('NETWORK', err instanceof Error ? err.message : 'network error');
    }
    const text = await res.text().catch(() => '');
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy's HTML error page, for instance: keep json undefined and report the status.
    }
    if (!res.ok) throw SdkError.fromWire((json as { error?: Parameters<typeof SdkError.fromWire>[0] } | undefined)?.error, res.status);
    return { json, text };
  }

  register(input: RegisterIn): Promise<Session> {
    return this.request('POST', '/auth/register', check(RegisterIn, input, 'registration'));
  }

  login(input: LoginIn): Promise<Session> {
    return this.request('POST', '/auth/login', check(LoginIn, input, 'sign-in'));
  }

  /** Ends this session on the server (its tokens stop working, its sockets close) and forgets the tokens here. */
  async logout(): Promise<void> {
    await this.request('POST', '/auth/logout', {});
    this.setToken(undefined);
  }

  /** Ends every session of the signed-in user, this one included. Resolves with how many ended. */
  async logoutAll(): Promise<number> {
    const { sessions } = await this.request<{ sessions: number }>('POST', '/auth/logout-all', {});
    this.setToken(undefined);
    return sessions;
  }

  /** Changes the password; every other session of the user ends, this one stays. */
  async changePassword(input: PasswordChangeIn): Promise<void> {
    await this.request('POST', '/me/password', check(PasswordChangeIn, input, 'password change'));
  }

  async me(): Promise<SelfUser> {
    return (await this.request<{ user: SelfUser }>('GET', '/me')).user;
  }

  async updateProfile(patch: ProfilePatchIn): Promise<SelfUser> {
    return (await this.request<{ user: SelfUser }>('PATCH', '/me/profile', check(ProfilePatchIn, patch, 'profile'))).user;
  }

  /**
   * Mentors who opted in (profile.mentoring). Resolves `null` when this server has no mentor
   * directory (the route answers 404), so a client can fall back to asking for a user id.
   */
  async mentors(query: { q?: string; skill?: string } = {}): Promise<PublicUser[] | null> {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])));
    const qs = params.toString() ? `?${params}` : '';
    try {
      return (await this.request<{ mentors: PublicUser[] }>('GET', `/mentors${qs}`)).mentors;
    } catch (err) {
      if (err instanceof SdkError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  /**
   * One page of mentors (GET /api/mentors): `q` matches word starts in name, bio and tags (every
   * word must match), `skill` one expertise tag exactly. Sign-up order; page with `cursor`.
   */
  async searchMentors(query: z.input<typeof MentorQuery> = {}): Promise<MentorPage> {
    const q = check(MentorQuery, query, 'mentor search');
    const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]));
    const qs = params.toString() ? `?${params}` : '';
    const page = await this.request<{ mentors: PublicUser[]; nextCursor?: string | null }>('GET', `/mentors${qs}`);
    return { mentors: page.mentors, nextCursor: page.nextCursor ?? null };
  }

  /** A person's public profile with how many rooms they mentored to completion (reached Separation or Redefinition). */
  person(userId: UserId): Promise<{ user: PublicUser; roomsCompleted: number }> {
    return this.request('GET', `/users/${encodeURIComponent(userId)}`);
  }

  /** My rooms with unread counts and last message, most recently active first. */
  async rooms(): Promise<RoomSummary[]> {
    return (await this.request<{ rooms: RoomSummary[] }>('GET', '/rooms')).rooms;
  }

  /** One room, its members' public profiles and its next steps. */
  async room(roomId: RoomId): Promise<RoomDetail> {
    const detail = await this.request<Omit<RoomDetail, 'nextSteps'> & { nextSteps?: string[] }>('GET', `/rooms/${encodeURIComponent(roomId)}`);
    return { ...detail, nextSteps: detail.nextSteps ?? [] };
  }

  /** Asks someone to be my mentor (`mentorId`) or my mentee (`menteeId`); the room starts pending. */
  async requestRoom(input: RoomCreateIn): Promise<Room> {
    return (await this.request<{ room: Room }>('POST', '/rooms', check(RoomCreateIn, input, 'request'))).room;
  }

  async answer(roomId: RoomId, answer: 'accept' | 'decline'): Promise<Room> {
    return (await this.request<{ room: Room }>('POST', `/rooms/${encodeURIComponent(roomId)}/${answer}`)).room;
  }

  /** History in ascending seq: the latest page by default, or `before` / `after` a seq. */
  history(roomId: RoomId, query: HistoryQuery = {}): Promise<HistoryPage> {
    const q = check(HistoryQuery, query, 'history query');
    const params = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
    const qs = params.toString() ? `?${params}` : '';
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}/messages${qs}`);
  }

  /** Sends over REST (idempotent on clientMsgId, like the socket path). The outbox uses the socket. */
  async postMessage(roomId: RoomId, input: MessagePostIn): Promise<Message> {
    return (await this.request<{ message: Message }>('POST', `/rooms/${encodeURIComponent(roomId)}/messages`, check(MessagePostIn, input, 'message'))).message;
  }
}
