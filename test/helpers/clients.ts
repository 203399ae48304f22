import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Ack, SelfUser } from '../../shared/types.js';

export interface Session {
  user: SelfUser;
  token: string;
  /** Renews the token (POST /api/auth/refresh); rotated on every use. */
  refreshToken: string;
}

/** The password register() gives every user. */
export const TEST_PASSWORD = 'correct horse battery';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

/** One REST call with fetch; the body is parsed JSON (or the raw text when it is not JSON). */
export async function api<T = any>(baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T };
}

let userCounter = 0;

/** Registers a fresh user (unique email) and returns the session. */
export async function register(baseUrl: string, displayName = 'User'): Promise<Session> {
  userCounter += 1;
  const email = `${displayName.toLowerCase().replace(/\W+/g, '')}-${userCounter}-${randomUUID().slice(0, 8)}@example.test`;
  const res = await api<Session>(baseUrl, 'POST', '/api/auth/register', { body: { email, password: TEST_PASSWORD, displayName } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A mentee requests the mentor; the mentor accepts. Returns the active room. */
export async function activeRoom(baseUrl: string, mentor: Session, mentee: Session, focus = 'Land a Director role'): Promise<any> {
  const created = await api(baseUrl, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus } });
  if (created.status !== 201) throw new Error(`room request failed: ${JSON.stringify(created.body)}`);
  const accepted = await api(baseUrl, 'POST', `/api/rooms/${created.body.room.id}/accept`, { token: mentor.token });
  if (accepted.status !== 200) throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  return accepted.body.room;
}

/** A connected socket.io-client (websocket transport), or a rejection with the connect_error. */
export function connect(baseUrl: string, token: string | undefined): Promise<Socket> {
  const socket = io(baseUrl, { auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Emits with an ack and resolves with it (rejects after `ms`). */
export function emitAck<T extends object = any>(socket: Socket, event: string, payload: unknown, ms = 10_000): Promise<Ack<T> & Record<string, any>> {
  return socket.timeout(ms).emitWithAck(event, payload) as Promise<Ack<T> & Record<string, any>>;
}

/** Collects every payload of `event` on `socket` into an array (for later assertions). */
export function collect<T = any>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (p: T) => seen.push(p));
  return seen;
}

/** The first payload of `event` that satisfies `match`, or a rejection after `ms`. */
export function nextEvent<T = any>(socket: Socket, event: string, match: (p: T) => boolean = () => true, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const on = (p: T) => {
      if (!match(p)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(p);
    };
    socket.on(event, on);
  });
}

/** Retries `fn` until it stops throwing or `ms` passes (then rethrows its last error). */
export async function eventually<T>(fn: () => T | Promise<T>, ms = 5000, every = 25): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, every));
    }
  }
}

export const newClientId = (): string => randomUUID();
