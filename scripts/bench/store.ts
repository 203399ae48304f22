/**
 * `--store sqlite|mongo` for the benches: the environment a Menteo server under test gets.
 * mongo runs against MONGODB_URL (a real replica set; never the test emulator, whose figures
 * would say nothing about MongoDB), one database per DATA_DIR, so a restart on the same DATA_DIR
 * sees the same data.
 */
import { createHash } from 'node:crypto';

export type BenchStore = 'sqlite' | 'mongo';

export function parseBenchStore(value: string): BenchStore {
  if (value !== 'sqlite' && value !== 'mongo') throw new Error('--store is sqlite or mongo');
  if (value === 'mongo' && !process.env.MONGODB_URL) {
    throw new Error('--store mongo runs against MONGODB_URL (a MongoDB replica set): set it; none is installable on this machine');
  }
  return value;
}

/** The server environment for `store`, its data tied to `dataDir`. */
export function benchStoreEnv(store: BenchStore, dataDir: string): Record<string, string> {
  if (store === 'sqlite') return { STORE: 'sqlite' };
  const url = new URL(process.env.MONGODB_URL!);
  url.pathname = `/menteo_bench_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  return { STORE: 'mongo', MONGODB_URL: url.toString() };
}

/** How the report names the store. */
export const benchStoreLabel = (store: BenchStore): string =>
  store === 'sqlite' ? 'SQLite WAL, group commit, ack after fsync' : 'MongoDB at MONGODB_URL, write concern majority + j, group commit per room';
