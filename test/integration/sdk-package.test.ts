import { execFile, fork } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { api, eventually } from '../helpers/clients.js';
import { startProxy, type FlakyProxy } from '../helpers/proxy.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');
const installed = (name: string) => (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

interface Result {
  roomId: string;
  token: string;
  queued: string[];
  states: string[];
  outbox: { clientMsgId: string; body: string }[];
  timeline: { seq: number; body: string; clientMsgId: string }[];
  milestoneId: string;
}

/**
 * Issue 18: the SDK as an outside app gets it. `npm pack` in client/sdk-package, the tarball and
 * only its peers (plus ws, Node's WebSocket for y-websocket) installed into an empty project from
 * the npm cache, then test/fixtures/sdk-consumer.mjs drives a real server through it.
 */
describe('@menteo/sdk, packed and installed into an empty project', function () {
  this.timeout(300_000);
  let project: ReturnType<typeof tempDir>;
  let server: TestServer;
  let proxy: FlakyProxy;

  before(async () => {
    project = tempDir('menteo-sdk-consumer-');
    await run('npm', ['pack', '--pack-destination', project.dir], { cwd: join(repoRoot, 'client', 'sdk-package') });
    const tarball = readdirSync(project.dir).find((f) => f.endsWith('.tgz'));
    expect(tarball, 'npm pack wrote a tarball').to.be.a('string');
    writeFileSync(join(project.dir, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }));
    const peers = ['socket.io-client', 'yjs', 'y-websocket', 'ws'].map((p) => `${p}@${installed(p)}`);
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', `./${tarball}`, ...peers], { cwd: project.dir });
    copyFileSync(join(repoRoot, 'test', 'fixtures', 'sdk-consumer.mjs'), join(project.dir, 'consumer.mjs'));
    copyFileSync(join(repoRoot, 'test', 'fixtures', 'sdk-consumer-types.ts'), join(project.dir, 'typed.ts'));
  });
  after(() => project?.remove());

  beforeEach(async () => {
    server = await startServer();
    proxy = await startProxy(server.url);
  });
  afterEach(async () => {
    await proxy.close();
    await server.stop();
  });

  it('installs with only its peers and nothing of the repo', () => {
    const sdk = JSON.parse(readFileSync(join(project.dir, 'node_modules', '@menteo', 'sdk', 'package.json'), 'utf8')) as { name: string };
    expect(sdk.name).to.equal('@menteo/sdk');
    const top = readdirSync(join(project.dir, 'node_modules'));
    expect(top).to.include.members(['socket.io-client', 'yjs', 'y-websocket', 'zod']);
    expect(top).not.to.include.members(['express', 'better-sqlite3', 'socket.io']);
  });

  it("types a TypeScript app through its declarations (the exports map's types)", async () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', 'typed.ts'];
    const { stdout } = await run(process.execPath, [tsc, ...args], { cwd: project.dir }).catch((err: { stdout: string }) => {
      throw new Error(`tsc failed in the consumer project: ${err.stdout}`);
    });
    expect(stdout).to.equal('');
  });

  it('from plain Node: signs up, opens a room, sends exactly once across a reconnect, edits the roadmap', async () => {
    let stderr = '';
    const child = fork(join(project.dir, 'consumer.mjs'), [], {
      cwd: project.dir,
      env: { ...process.env, NODE_OPTIONS: '', VIA_PROXY: proxy.url, DIRECT: server.url },
      execArgv: [],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const result = await new Promise<Result>((resolve, reject) => {
      child.on('message', (m: { step: string; result?: Result }) => {
        if (m.step === 'drop') proxy.down();
        if (m.step === 'restore') proxy.up();
        if (m.step === 'done') resolve(m.result!);
        else child.send('go');
      });
      void exited.then((code) => reject(new Error(`consumer exited with ${code} before it was done: ${stderr}`)));
    });

    // Queued while offline, each then stored exactly once with the clientMsgId the outbox gave it.
    expect(result.queued).to.deep.equal(['queued', 'queued', 'queued']);
    expect(result.states).to.include('reconnecting');
    const stored = await api(server.url, 'GET', `/api/rooms/${result.roomId}/messages?limit=100`, { token: result.token });
    const texts = stored.body.messages.filter((m: { kind: string }) => m.kind === 'text');
    expect(texts.map((m: { body: string; clientMsgId: string }) => [m.body, m.clientMsgId])).to.deep.equal(result.outbox.map((e) => [e.body, e.clientMsgId]));
    // The client's timeline holds each seq once, in order, and all four messages.
    const seqs = result.timeline.map((m) => m.seq);
    expect(seqs).to.deep.equal([...new Set(seqs)].sort((a, b) => a - b));
    expect(result.timeline.filter((m) => m.clientMsgId && result.outbox.some((e) => e.clientMsgId === m.clientMsgId))).to.have.length(4);

    // The roadmap edit made through the SDK's RoadmapSession reached the server's document.
    await eventually(async () => {
      const read = await api(server.url, 'GET', `/api/rooms/${result.roomId}/roadmap`, { token: result.token });
      expect(read.body.roadmap.title).to.equal('Roadmap from plain Node');
      expect(read.body.roadmap.milestones.map((m: { id: string; title: string }) => [m.id, m.title])).to.deep.equal([[result.milestoneId, 'Publish the SDK']]);
    }, 10_000);
    child.send('finish');
    expect(await exited).to.equal(0);
  });
});
