/**
 * Issue 13, HTTP: client errors answer 4xx with the catalog's code (never 500, no error-level log
 * line); security headers; CORS and ALLOWED_ORIGINS for REST, Socket.IO and the collab upgrade.
 */
import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { activeRoom, api, register, type Session } from '../helpers/clients.js';
import { wsBase } from '../helpers/collab.js';
import { spawnServer, tempDir, type ChildServer } from '../helpers/server.js';

const ALLOWED = 'https://app.example.test';
const FOREIGN = 'https://evil.example.test';

describe('HTTP hardening (issue 13)', function () {
  this.timeout(60_000);
  const temp = tempDir();
  let server: ChildServer;
  let mentor: Session;
  let room: { id: string };
  before(async () => {
    server = await spawnServer(temp.dir, { ALLOWED_ORIGINS: `${ALLOWED}, http://other.example.test:8080` });
    mentor = await register(server.url, 'Mentor');
    room = await activeRoom(server.url, mentor, await register(server.url, 'Mentee'));
  });
  after(async () => {
    await server.kill();
    temp.remove();
  });
  const errorLines = () => server.output().split('\n').filter((l) => l.includes('"level":50'));

  it('a malformed path escape answers 400 INVALID_INPUT, and nothing is logged as an error', async () => {
    const res = await api(server.url, 'GET', '/api/rooms/%E0%A4%A', { token: mentor.token });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('INVALID_INPUT');
    expect(errorLines()).to.deep.equal([]);
  });

  it('an undecodable gzip body answers 400 INVALID_INPUT, a decodable one works, nothing logged as an error', async () => {
    const post = (body: Uint8Array) =>
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: body as unknown as BodyInit });
    const bad = await post(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('INVALID_INPUT');
    const good = await post(gzipSync(JSON.stringify({ email: 'nobody@example.test', password: 'wrong password' })));
    expect(good.status).to.equal(401);
    expect(errorLines()).to.deep.equal([]);
  });

  it('sends security headers: CSP with frame-ancestors none, nosniff, Referrer-Policy', async () => {
    const res = await fetch(`${server.url}/healthz`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.contain("frame-ancestors 'none'").and.contain("default-src 'self'").and.contain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('referrer-policy')).to.equal('no-referrer');
    expect(res.headers.get('x-frame-options')).to.equal('SAMEORIGIN');
  });

  it('answers CORS for listed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/me`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    const ok = await preflight(ALLOWED);
    expect(ok.headers.get('access-control-allow-origin')).to.equal(ALLOWED);
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).to.contain('authorization');
    const foreign = await preflight(FOREIGN);
    expect(foreign.headers.get('access-control-allow-origin')).to.equal(null);
  });

  const socketConnects = (origin: string | undefined) =>
    new Promise<boolean>((resolve) => {
      const socket = io(server.url, {
        auth: { token: mentor.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        ...(origin ? { extraHeaders: { origin } } : {}),
      });
      socket.once('connect', () => (socket.close(), resolve(true)));
      socket.once('connect_error', () => (socket.close(), resolve(false)));
    });

  it('the Socket.IO handshake refuses a foreign Origin and allows a listed one, its own, or none', async () => {
    expect(await socketConnects(FOREIGN)).to.equal(false);
    expect(await socketConnects(ALLOWED)).to.equal(true);
    expect(await socketConnects(server.url)).to.equal(true);
    expect(await socketConnects(undefined)).to.equal(true);
  });

  const upgradeStatus = (origin: string | undefined) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`${wsBase(server.url)}/collab/${room.id}?token=${mentor.token}`, origin ? { origin } : {});
      ws.once('unexpected-response', (_req, res) => (ws.terminate(), resolve(res.statusCode ?? 0)));
      ws.once('open', () => (ws.terminate(), resolve(101)));
      ws.once('error', () => {});
    });

  it('the collab upgrade refuses a foreign Origin with 403 before upgrading; listed, own or no Origin pass', async () => {
    expect(await upgradeStatus(FOREIGN)).to.equal(403);
    expect(await upgradeStatus(ALLOWED)).to.equal(101);
    expect(await upgradeStatus(server.url)).to.equal(101);
    expect(await upgradeStatus(undefined)).to.equal(101);
  });
});
