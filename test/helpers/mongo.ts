/**
 * Where the MongoDB adapter is tested: a real MongoDB when MONGODB_URL is set (the run that proves
 * parity), else the test-only wire-protocol emulator (test/store/mongo-emulator/bridge.py: mockupdb
 * + mongomock under Debian's /usr/bin/python3), else nowhere, with a skip line. One emulator per
 * test process, started on first use on a free port; each caller gets its own database.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { newId } from '../../server/ids.js';

export const EMULATOR_LABEL = 'MongoDB adapter — mongomock emulator, not MongoDB';
const PYTHON = '/usr/bin/python3';
const BRIDGE = join(import.meta.dirname, '..', 'store', 'mongo-emulator', 'bridge.py');

export interface MongoTarget {
  kind: 'real' | 'emulator';
  /** A URL for a fresh database of its own (dropped by `dropDatabase` in dispose). */
  url(): string;
  /** The URL of the database tied to `key` (a DATA_DIR): the same key, the same database. */
  urlFor(key: string): string;
  /** Printed once per run: which MongoDB this is. */
  label: string;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A URL with its database path replaced by `db`. */
function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Can /usr/bin/python3 import both emulator packages? */
export function emulatorAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import mockupdb, mongomock'], { stdio: 'ignore' }).status === 0;
}

export interface Emulator {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a bridge on a free port; `standalone` answers hello as a mongod without a replica set. */
export async function startEmulator(opts: { standalone?: boolean } = {}): Promise<Emulator> {
  const port = await freePort();
  const child = spawn(PYTHON, [BRIDGE, '--port', String(port), ...(opts.standalone ? ['--standalone'] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the MongoDB emulator did not start: ${output}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes(`listening ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the MongoDB emulator exited with ${code}: ${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `mongodb://127.0.0.1:${port}/menteo`,
    port,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const dbKey = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 24);

let shared: Promise<MongoTarget | null> | undefined;

/** The MongoDB the tests of this process use (null: none, the caller prints a skip line). */
export function mongoTarget(): Promise<MongoTarget | null> {
  shared ??= (async () => {
    const real = process.env.MONGODB_URL;
    if (real) {
      return {
        kind: 'real' as const,
        label: `MongoDB adapter — real MongoDB at MONGODB_URL`,
        url: () => withDatabase(real, `menteo_test_${newId().replace(/[^a-zA-Z0-9]/g, '')}`),
        urlFor: (key: string) => withDatabase(real, `menteo_test_${dbKey(key)}`),
      };
    }
    if (!emulatorAvailable()) return null;
    const emulator = await startEmulator();
    // The bridge also exits when this process's end of its stdin closes (mocha --exit included).
    return {
      kind: 'emulator' as const,
      label: EMULATOR_LABEL,
      url: () => withDatabase(emulator.url, `t${newId().replace(/[^a-zA-Z0-9]/g, '')}`),
      urlFor: (key: string) => withDatabase(emulator.url, `t${dbKey(key)}`),
    };
  })();
  return shared;
}

export const MONGO_SKIP_LINE =
  '    [skip] MongoDB adapter — neither MONGODB_URL nor the emulator (apt-get install python3-mockupdb python3-mongomock) is available';

/** Drops a test database through a connection of its own (the store under test may be closed already). */
export async function dropDatabase(url: string): Promise<void> {
  const conn = await mongoose.createConnection(url, { serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    await conn.db!.dropDatabase();
  } finally {
    await conn.close();
  }
}

/** Is this run's store the mongomock emulator (TEST_STORE=mongo without MONGODB_URL)? */
export const onEmulator = (): boolean => process.env.TEST_STORE === 'mongo' && !process.env.MONGODB_URL;

/** What the test servers of this run share as their store, for test titles ("one SQLite file", …). */
export function testStoreLabel(): string {
  if (process.env.TEST_STORE !== 'mongo') return 'one SQLite file';
  return process.env.MONGODB_URL ? 'one MongoDB database (MONGODB_URL)' : 'one MongoDB database (mongomock emulator, not MongoDB)';
}

/** Drops the MongoDB database tied to `dataDir` when this run is on the MongoDB adapter (storeEnv). */
export async function dropStoreOf(dataDir: string): Promise<void> {
  const env = await storeEnv(dataDir);
  if (env.MONGODB_URL) await dropDatabase(env.MONGODB_URL);
}

/**
 * The store the integration helpers start servers on: TEST_STORE=mongo (`npm test`'s second run,
 * .mocharc.mongo.json) puts them on the MongoDB adapter, each DATA_DIR on a database of its own.
 */
export async function storeEnv(dataDir: string): Promise<Record<string, string>> {
  if (process.env.TEST_STORE !== 'mongo') return {};
  const target = await mongoTarget();
  if (!target) throw new Error('TEST_STORE=mongo, but neither MONGODB_URL nor the MongoDB emulator is available');
  return { STORE: 'mongo', MONGODB_URL: target.urlFor(dataDir) };
}
