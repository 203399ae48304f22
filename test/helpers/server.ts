import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMenteo, type Menteo, type MenteoParts } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { openStore } from '../../server/store/open.js';
import type { Store } from '../../server/store/port.js';
import { dropDatabase, dropStoreOf, storeEnv } from './mongo.js';

/** A fresh temp DATA_DIR; removed by the returned cleanup. */
export function tempDir(prefix = 'menteo-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The METRICS_TOKEN test servers run with (startServer's default). */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';

/** The Prometheus text of a test server's /metrics (with its bearer token). */
export const metricsText = (httpUrl: string): Promise<string> =>
  fetch(`${httpUrl}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } }).then((r) => r.text());

/**
 * A DATA_DIR several servers share (the nodes of a test cluster, or one server restarted): on the
 * MongoDB adapter its database too (storeEnv ties one to each DATA_DIR). `remove` deletes both.
 */
export function sharedData(prefix = 'menteo-shared-'): { dir: string; remove: () => Promise<void> } {
  const temp = tempDir(prefix);
  return {
    dir: temp.dir,
    async remove() {
      try {
        await dropStoreOf(temp.dir);
      } finally {
        temp.remove();
      }
    },
  };
}

/** The store a server on `dataDir` would open (SQLite in it, or its MongoDB database), for tests that drive a store directly. */
export async function openTestStore(dataDir: string): Promise<Store> {
  return openStore(loadConfig({ DATA_DIR: dataDir, ...(await storeEnv(dataDir)) }));
}

export interface TestServer extends Menteo {
  dataDir: string;
  /** Closes the server and removes its DATA_DIR (unless it was given by the caller). */
  stop(): Promise<void>;
}

/**
 * The real server in this process on a random port, with its own temp DATA_DIR unless one is given,
 * on the store TEST_STORE names (sqlite by default; mongo: see storeEnv in ./mongo.ts).
 */
export async function startServer(opts: { dataDir?: string; env?: Record<string, string>; parts?: MenteoParts } = {}): Promise<TestServer> {
  const temp = opts.dataDir ? null : tempDir();
  const dataDir = opts.dataDir ?? temp!.dir;
  const store = await storeEnv(dataDir);
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', METRICS_TOKEN: TEST_METRICS_TOKEN, ...store, ...opts.env });
  const server = await startMenteo(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), opts.parts);
  // A run meant for the MongoDB adapter must not pass on SQLite because an env override slipped in.
  if (config.store !== server.store.kind) {
    await server.close();
    throw new Error(`startServer: asked for the ${config.store} store, got ${server.store.kind}`);
  }
  return {
    ...server,
    dataDir,
    async stop() {
      await server.close();
      // Its own data: the MongoDB database goes with the temp dir.
      if (temp && store.MONGODB_URL) await dropDatabase(store.MONGODB_URL);
      temp?.remove();
    },
  };
}

export interface ChildServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves with the exit code/signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const repoRoot = join(import.meta.dirname, '..', '..');

/** The real server as a child process (`node --import tsx server/main.ts`): for SIGKILL and multi-process tests. */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}, opts: { readyTimeoutMs?: number } = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server', 'main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', METRICS_TOKEN: TEST_METRICS_TOKEN, ...(await storeEnv(dataDir)), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  let output = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    output += d.toString();
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in time: ${stderr}`)), opts.readyTimeoutMs ?? 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (const line of buffered.split('\n')) {
        if (!line.includes('"port"')) continue;
        try {
          const entry = JSON.parse(line) as { port?: number };
          if (typeof entry.port === 'number') {
            clearTimeout(timer);
            resolve(entry.port);
            return;
          }
        } catch {
          /* a partial line: wait for the rest */
        }
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
