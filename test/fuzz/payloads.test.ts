/**
 * Issue 13: generated bad payloads for every REST route and socket event. Zero 5xx, zero INTERNAL
 * acks, no state change from a refused request (the SQLite file's rows compared before and after),
 * the server healthy afterwards. Bounded: a few hundred requests, well under a minute here.
 */
import { memoryLimiters } from '../../server/rate/limiter.js';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import fc from 'fast-check';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { createHttpApp } from '../../server/http/app.js';
import { EVENT_MAP } from '../../shared/event-map.js';
import { Ev } from '../../shared/events.js';
import { activeRoom, api, connect, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** The route list is what is read here, not the limits. */
const unlimited = memoryLimiters({ name: 'fuzz-routes', points: 1_000_000, durationSec: 60 });

interface Route {
  method: string;
  path: string;
}

/** Every route the REST app registers, read from its Express router (so a new route is fuzzed too). */
function routeList(server: TestServer): Route[] {
  const app = createHttpApp({ services: server.services, log: server.log, registry: undefined as never, readiness: [], isDraining: () => false, webRoot: '/nonexistent', allowedOrigins: [],
    trustProxy: false, limits: { authPerIp: unlimited, sendsPerUser: unlimited } });
  const routes: Route[] = [];
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; match(path: string): boolean };
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) if (method !== '_all') routes.push({ method: method.toUpperCase(), path: prefix + layer.route.path });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix || (layer.match('/api/x') && !layer.match('/x') ? '/api' : ''));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return routes;
}

/** Every client → server socket event, from the shared event map (so a new one is fuzzed too); each takes an ack, except typing. */
const SOCKET_EVENTS = Object.entries(EVENT_MAP)
  .filter(([, doc]) => doc.direction === 'client')
  .map(([name]) => name);

const nested = (depth: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

/** Values of the wrong type, huge, deeply nested, or proto-polluting. */
const badValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom('', ' ', '\u0000', 'x'.repeat(70_000), '['.repeat(20_000), -1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2, true, null, [], {}),
  fc.integer({ min: 50, max: 3000 }).map(nested),
  fc.constant(JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}')),
);

const FIELDS = ['roomId', 'body', 'kind', 'title', 'focus', 'email', 'password', 'displayName', 'mentorId', 'menteeId', 'clientMsgId', 'messageId', 'emoji', 'on', 'seq', 'since', 'typing', 'to', 'note', 'status', 'visibility', 'templateId', 'mode', 'goals', 'milestoneId', 'goalId', '__proto__', 'constructor'];

/** A body: a bad scalar, or an object of known field names (some missing) with bad values plus extra fields. */
const badBody = fc.oneof(
  badValue,
  fc.dictionary(fc.constantFrom(...FIELDS), badValue, { maxKeys: 6 }),
  fc.dictionary(fc.string({ maxLength: 20 }), badValue, { maxKeys: 4 }),
);

/** Path parameters: real ids (so authorisation and lookups run), wrong ones, hostile ones. */
const param = (real: string[]) => fc.oneof(fc.constantFrom(...real), fc.constantFrom('x', '..', '%00', 'a'.repeat(300), '__proto__', '%E0%A4%A', "'; DROP TABLE rooms;--"), fc.string({ maxLength: 12 }).map(encodeURIComponent));
const query = fc.dictionary(fc.constantFrom('after', 'before', 'limit', 'q', 'skill', 'cursor', 'format', 'since'), fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('-1', '1e309', 'NaN', 'x'.repeat(5000))), { maxKeys: 3 });

/** Every row of every table, as one string: what a refused request must leave as it was. */
function snapshot(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
    return JSON.stringify(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]), (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v));
  } finally {
    db.close();
  }
}

describe('fuzz: bad payloads on every REST route and socket event (issue 13)', function () {
  this.timeout(120_000);
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let stranger: Session;
  /** The socket's own user: the REST fuzz may sign the stranger out everywhere, which closes its sockets. */
  let outsider: Session;
  let ids: string[];
  let dbFile: string;
  let socket: Socket;
  before(async () => {
    server = await startServer();
    mentor = await register(server.url, 'Mentor');
    mentee = await register(server.url, 'Mentee');
    stranger = await register(server.url, 'Stranger');
    outsider = await register(server.url, 'Outsider');
    const room = await activeRoom(server.url, mentor, mentee);
    const thread = (await api(server.url, 'POST', '/api/threads', { token: mentee.token, body: { title: 'T', visibility: 'public', roomId: room.id } })).body.thread;
    const entry = (await api(server.url, 'POST', `/api/threads/${thread.id}/entries`, { token: mentee.token, body: { kind: 'note', body: 'hello' } })).body.entry;
    const message = (await api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentee.token, body: { clientMsgId: crypto.randomUUID(), body: 'hi' } })).body.message;
    ids = [room.id, thread.id, entry.id, message.id, mentor.user.id, 'g1'];
    dbFile = join(server.dataDir, 'menteo.sqlite');
    socket = await connect(server.url, outsider.token);
  });
  after(async () => {
    socket?.close();
    await server.stop();
  });

  it('reads every client socket event from the event map', () => {
    expect(SOCKET_EVENTS).to.include.members([Ev.roomJoin, Ev.roomView, Ev.messageSend, Ev.typing]);
  });

  it('reads every route from the app', () => {
    const routes = routeList(server);
    expect(routes.length).to.be.greaterThan(20);
    expect(routes).to.deep.include({ method: 'POST', path: '/api/threads/:id/entries/:eid/comments' });
  });

  it('REST: no 5xx, and a refused request changes nothing', async () => {
    const routes = routeList(server).filter((r) => !r.path.startsWith('/metrics'));
    const tokens = [mentor.token, stranger.token, undefined, 'not-a-token'];
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.array(param(ids), { minLength: 3, maxLength: 3 }), badBody, query, fc.constantFrom(...tokens), fc.boolean(), async (route, params, body, q, token, raw) => {
        let i = 0;
        const path = route.path.replace(/:[A-Za-z]+/g, () => params[i++]!) + (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '');
        const before = snapshot(dbFile);
        const send = route.method === 'GET' || route.method === 'HEAD' ? {} : raw ? { rawBody: typeof body === 'string' ? body : `{"a":${JSON.stringify(body)}` } : { body };
        const res = await api(server.url, route.method, path, { ...(token ? { token } : {}), ...send });
        expect(res.status, `${route.method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`).to.be.below(500);
        if (res.status >= 400) {
          refused += 1;
          expect(res.body?.error?.code, `${route.method} ${path}: an error in the catalog's shape`).to.be.a('string');
          expect(snapshot(dbFile), `${route.method} ${path} was refused (${res.status}) but changed the store`).to.equal(before);
        }
      }),
      { numRuns: 200 },
    );
    expect(refused).to.be.greaterThan(120);
  });

  it('sockets: no INTERNAL ack, and a refused event changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SOCKET_EVENTS), fc.oneof(badBody, fc.record({ roomId: fc.constantFrom(...ids) }, { requiredKeys: [] }).chain((base) => fc.dictionary(fc.constantFrom(...FIELDS), badValue, { maxKeys: 4 }).map((extra) => ({ ...extra, ...base })))), async (event, payload) => {
        const before = snapshot(dbFile);
        expect(socket.connected, 'the socket is still connected').to.equal(true);
        if (event === Ev.typing) {
          socket.emit(event, payload);
          return;
        }
        const ack = (await socket.timeout(10_000).emitWithAck(event, payload)) as { ok: boolean; error?: { code: string } };
        expect(ack.error?.code, `${event} ${String(JSON.stringify(payload)).slice(0, 200)}`).not.to.equal('INTERNAL');
        if (!ack.ok) expect(snapshot(dbFile), `${event} was refused but changed the store`).to.equal(before);
      }),
      { numRuns: 150 },
    );
    // The outsider's socket survived all of it.
    expect(socket.connected).to.equal(true);
  });

  it('the server is healthy afterwards', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    expect((await fetch(`${server.url}/readyz`)).status).to.equal(200);
    // The outsider's token: the REST fuzz may have signed the mentor out, as it may.
    const me = await api(server.url, 'GET', '/api/me', { token: outsider.token });
    expect(me.status).to.equal(200);
  });
});
