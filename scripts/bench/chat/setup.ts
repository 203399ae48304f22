import { benchStoreEnv, type BenchStore } from '../store.js';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_METRICS_TOKEN, spawnServer } from './server-process.js';

/** One room of the bench: the two clients' handshake `auth` objects and the roomId they send to. */
export interface Pair {
  roomId: string;
  auth: [Record<string, unknown>, Record<string, unknown>];
}

/** What the REST set-up produced: a stopped server's DATA_DIR to copy per run, and who is in which room. */
export interface Seed {
  dataDir: string;
  pairs: Pair[];
}

interface SeedFile {
  rooms: number;
  createdAt: string;
  pairs: Array<{ roomId: string; mentorToken: string; menteeToken: string }>;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function post<T>(url: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Registers 2 × `rooms` users and makes one active room per pair (the mentee requests, the mentor
 * accepts), all through the REST API of a real server. Registration hashes each password with
 * scrypt (~80 ms of CPU), so 2,000 users take over a minute: the result (the stopped server's
 * DATA_DIR and the access tokens, issued for the longest TTL the server allows, a day) is cached
 * under `cacheRoot` and reused until `fresh` or until its tokens have less than an hour left.
 * Each run then starts from a copy of it, so no run sees another's messages.
 */
export async function menteoSeed(opts: {
  rooms: number;
  cacheRoot: string;
  fresh: boolean;
  command: string[];
  cwd: string;
  log: (line: string) => void;
  /** The store the seed is registered into (scripts/bench/store.ts); sqlite when absent. */
  store?: BenchStore;
}): Promise<Seed> {
  const dir = join(opts.cacheRoot, `chat-seed-${opts.rooms}`);
  const seedFile = join(dir, 'seed.json');
  if (!opts.fresh && existsSync(seedFile)) {
    const seed = JSON.parse(readFileSync(seedFile, 'utf8')) as SeedFile;
    if (tokenClaims(seed.pairs[0]!.mentorToken).exp * 1000 > Date.now() + 3600_000) {
      opts.log(`set-up: reusing ${seed.rooms} rooms registered over REST at ${seed.createdAt} (${dir}; --fresh-setup redoes it)`);
      return { dataDir: join(dir, 'data'), pairs: toPairs(seed) };
    }
    opts.log(`set-up: the cached seed's tokens (${seed.createdAt}) expire within the hour: registering again`);
  }

  const work = mkdtempSync(join(tmpdir(), 'menteo-bench-seed-'));
  const started = performance.now();
  opts.log(`set-up: registering ${2 * opts.rooms} users and ${opts.rooms} rooms over REST (once; cached in ${dir})`);
  // Unpinned: set-up is not measured, and scrypt runs on the libuv pool, so two cores halve it.
  // All registrations come from one address: lift the per-IP /api/auth limit for the set-up server only.
  const server = await spawnServer({
    command: opts.command,
    cwd: opts.cwd,
    env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: work, AUTH_RATE_PER_MIN: '1000000', ACCESS_TOKEN_TTL_S: String(24 * 3600), METRICS_TOKEN: BENCH_METRICS_TOKEN, ...benchStoreEnv(opts.store ?? 'sqlite', join(dir, 'data')) },
  });
  try {
    const indexes = Array.from({ length: 2 * opts.rooms }, (_, i) => i);
    const tokens = await pool(indexes, 8, async (i) => {
      const { token } = await post<{ token: string }>(server.url, '/api/auth/register', {
        email: `bench-${i}@example.test`,
        password: 'bench password',
        displayName: `${i % 2 === 0 ? 'Mentor' : 'Mentee'} ${i >> 1}`,
      });
      return token;
    });
    const userIds = tokens.map((t) => tokenClaims(t).sub);
    const roomIds = await pool(Array.from({ length: opts.rooms }, (_, r) => r), 16, async (r) => {
      const { room } = await post<{ room: { id: string } }>(server.url, '/api/rooms', { mentorId: userIds[2 * r], focus: `Bench room ${r}` }, tokens[2 * r + 1]);
      await post(server.url, `/api/rooms/${room.id}/accept`, {}, tokens[2 * r]);
      return room.id;
    });
    await server.stop();
    const seed: SeedFile = {
      rooms: opts.rooms,
      createdAt: new Date().toISOString(),
      pairs: roomIds.map((roomId, r) => ({ roomId, mentorToken: tokens[2 * r]!, menteeToken: tokens[2 * r + 1]! })),
    };
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(work, join(dir, 'data'), { recursive: true });
    writeFileSync(seedFile, JSON.stringify(seed));
    opts.log(`set-up: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { dataDir: join(dir, 'data'), pairs: toPairs(seed) };
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The claims of one of our access tokens (read, not verified: the bench made them). */
function tokenClaims(token: string): { sub: string; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; exp: number };
}

function toPairs(seed: SeedFile): Pair[] {
  return seed.pairs.map((p) => ({ roomId: p.roomId, auth: [{ token: p.mentorToken }, { token: p.menteeToken }] }));
}

/** A fresh copy of the seed's DATA_DIR for one run; returns it and its cleanup. */
export function copySeed(seed: Pick<Seed, 'dataDir'>): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'menteo-bench-run-'));
  cpSync(seed.dataDir, dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The relay's pairs: no users, no rooms, just a pair name in the handshake. */
export function relayPairs(rooms: number): Pair[] {
  return Array.from({ length: rooms }, (_, r) => ({ roomId: `pair-${r}`, auth: [{ pair: `pair-${r}` }, { pair: `pair-${r}` }] }));
}
