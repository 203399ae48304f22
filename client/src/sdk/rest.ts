import type { z } from 'zod';
import { LoginIn, ProfilePatchIn, RegisterIn } from '../../../shared/schemas/auth.js';
import { MentorQuery } from '../../../shared/schemas/contract.js';
import { MessagePostIn } from '../../../shared/schemas/message.js';
import { HistoryQuery, RoomCreateIn } from '../../../shared/schemas/room.js';
import type { Message, PublicUser, Room, RoomId, RoomSummary, SelfUser } from '../../../shared/types.js';
import { SdkError } from './errors.js';
import { LifecycleApi } from './rest-lifecycle.js';
import { RoadmapApi } from './rest-roadmap.js';
import { ThreadsApi } from './rest-threads.js';

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
  /** Contract, goals, stage changes and the record of achievement (docs/LIFECYCLE.md). */
  readonly lifecycle: LifecycleApi;
  /** The roadmap read over REST and its templates (docs/COLLAB.md); live editing is RoadmapSession. */
  readonly roadmap: RoadmapApi;
  /** Growth threads, entries, comments and the public feed (docs/THREADS.md). */
  readonly threads: ThreadsApi;

  constructor(opts: RestOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? '').replace(/\/$/, '');
    this.fetchFn = opts.fetch ?? ((...args) => globalThis.fetch(...args));
    this.token = opts.token;
    this.lifecycle = new LifecycleApi(this);
    this.roadmap = new RoadmapApi(this);
    this.threads = new ThreadsApi(this);
  }

  /** The server origin this client talks to ('' = the page's own). */
  get origin(): string {
    return this.baseUrl;
  }

  /** The bearer token in use (the collab endpoint takes it as a query parameter). */
  get currentToken(): string | undefined {
    return this.token;
  }

  /** Uses `token` for later calls (after sign-in). */
  setToken(token: string | undefined): void {
    this.token = token;
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

  private async send(method: string, path: string, body: unknown, accept: string): Promise<{ json: unknown; text: string }> {
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
