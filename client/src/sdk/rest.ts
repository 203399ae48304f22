import type { z } from 'zod';
import { LoginIn, ProfilePatchIn, RegisterIn } from '../../../shared/schemas/auth.js';
import { MessagePostIn } from '../../../shared/schemas/message.js';
import { HistoryQuery, RoomCreateIn } from '../../../shared/schemas/room.js';
import type { Message, PublicUser, Room, RoomId, RoomSummary, SelfUser } from '../../../shared/types.js';
import { SdkError } from './errors.js';

/** A signed-in user and the bearer token that proves it. */
export interface Session {
  user: SelfUser;
  token: string;
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
  /** fetch to use (tests, React Native); defaults to the global one. */
  fetch?: typeof fetch;
}

/** Validates input with the shared schema before it leaves, so a form gets the server's rules at once. */
function check<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
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

  constructor(opts: RestOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? '').replace(/\/$/, '');
    this.fetchFn = opts.fetch ?? ((...args) => globalThis.fetch(...args));
    this.token = opts.token;
  }

  /** Uses `token` for later calls (after sign-in). */
  setToken(token: string | undefined): void {
    this.token = token;
  }

  /** One call: JSON in, JSON out; a non-2xx answer throws the server's error as an SdkError. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
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
    return json as T;
  }

  register(input: RegisterIn): Promise<Session> {
    return this.request('POST', '/auth/register', check(RegisterIn, input, 'registration'));
  }

  login(input: LoginIn): Promise<Session> {
    return this.request('POST', '/auth/login', check(LoginIn, input, 'sign-in'));
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

  /** My rooms with unread counts and last message, most recently active first. */
  async rooms(): Promise<RoomSummary[]> {
    return (await this.request<{ rooms: RoomSummary[] }>('GET', '/rooms')).rooms;
  }

  /** One room and its members' public profiles. */
  room(roomId: RoomId): Promise<{ room: Room; members: PublicUser[] }> {
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}`);
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
