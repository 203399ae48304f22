import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { loadConfig } from '../../server/config.js';
import { activeRoom, api, connect, emitAck, register } from '../helpers/clients.js';
import { spawnServer, tempDir, type ChildServer } from '../helpers/server.js';

const repoRoot = join(import.meta.dirname, '..', '..');

describe('the server process', function () {
  this.timeout(60_000);
  let data: ReturnType<typeof tempDir>;
  let server: ChildServer | undefined;
  const sockets: Socket[] = [];
  beforeEach(() => {
    data = tempDir();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server?.kill('SIGKILL');
    server = undefined;
    data.remove();
  });

  it('defaults to port 3000, ./data and the sqlite store', () => {
    const config = loadConfig({ DATA_DIR: data.dir });
    expect(config).to.include({ port: 3000, store: 'sqlite', logLevel: 'info' });
    expect(loadConfig({}).dataDir).to.equal('./data');
  });

  it('accepts REDIS_URL (cluster mode) and refuses STORE=mongo without MONGODB_URL', () => {
    expect(loadConfig({ DATA_DIR: data.dir, REDIS_URL: 'redis://127.0.0.1:6390' }).redisUrl).to.equal('redis://127.0.0.1:6390');
    expect(() => loadConfig({ DATA_DIR: data.dir, STORE: 'mongo' })).to.throw(/MONGODB_URL/);
  });

  it('refuses to start on a bad environment, saying which variable is wrong', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server', 'main.ts')], {
      cwd: repoRoot,
      env: { ...process.env, PORT: 'eighty', DATA_DIR: data.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr).to.contain('PORT');
    expect(stderr).not.to.contain('    at ');
  });

  it('shuts down gracefully on SIGTERM: exit 0, acked writes kept, readiness reported', async () => {
    server = await spawnServer(data.dir);
    expect((await api(server.url, 'GET', '/readyz')).body).to.deep.equal({ ok: true, draining: false, checks: { store: 'ok' } });
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const socket = await connect(server.url, mentee.token);
    sockets.push(socket);
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    const ack = await emitAck(socket, 'message:send', { roomId: room.id, clientMsgId: 'last-words', body: 'before the stop' });
    expect(ack.ok).to.equal(true);
    await server.kill('SIGTERM');
    expect(await server.exited).to.deep.equal({ code: 0, signal: null });
    await disconnected;
    expect(server.output()).to.contain('"msg":"stopped"');

    server = await spawnServer(data.dir);
    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages`, { token: mentor.token });
    expect(history.body.messages.map((m: { body: string }) => m.body)).to.contain('before the stop');
  });

  it('never writes passwords or tokens to its log, even at trace level', async () => {
    server = await spawnServer(data.dir, { LOG_LEVEL: 'trace' });
    const password = 'a-very-secret-passphrase';
    const reg = await api(server.url, 'POST', '/api/auth/register', { body: { email: 'secret@example.test', password, displayName: 'S' } });
    await api(server.url, 'POST', '/api/auth/login', { body: { email: 'secret@example.test', password: 'wrong-secret-guess' } });
    await api(server.url, 'GET', '/api/me', { token: reg.body.token });
    await api(server.url, 'GET', '/api/me', { token: `${reg.body.token}x` });
    await server.kill('SIGTERM');
    const log = server.output();
    expect(log).to.contain('Menteo listening');
    for (const secret of [password, 'wrong-secret-guess', reg.body.token]) expect(log).not.to.contain(secret);
  });
});
