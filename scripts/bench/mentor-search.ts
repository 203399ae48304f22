/**
 * Mentor search on the sqlite adapter: fills a store with N users (a share of them mentors) and
 * times the queries GET /api/mentors makes. Usage: tsx scripts/bench/mentor-search.ts [users]
 * Prints one table: query, rows returned, median and p95 in ms over repeated runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import type { MentorSearch } from '../../server/store/port.js';

const USERS = Number(process.argv[2] ?? 20_000);
const MENTOR_SHARE = 0.3;
const WORDS = 'engineering product design leadership hiring strategy data platform mobile security growth marketing finance sales operations research writing speaking career startup scale cloud rust go python typescript react kubernetes ml ai fintech health'.split(' ');
const RARE = 'zymurgy';

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;

const dir = mkdtempSync(join(tmpdir(), 'menteo-bench-'));
const store = openSqliteStore({ file: join(dir, 'menteo.sqlite') });
try {
  const t0 = performance.now();
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < USERS; i++) {
    const bio = Array.from({ length: 20 }, () => pick(WORDS)).join(' ') + (i % 1000 === 7 ? ` ${RARE}` : '');
    writes.push(
      store.users.create({
        id: `u${i}`,
        email: `u${i}@bench.test`,
        displayName: `User ${i} ${pick(WORDS)}`,
        passwordHash: 'x',
        profile: { bio, expertise: [pick(WORDS), pick(WORDS), pick(WORDS)], mentoring: rand() < MENTOR_SHARE, timezone: 'UTC' },
        createdAt: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
      }),
    );
  }
  await Promise.all(writes);
  const fillMs = performance.now() - t0;

  async function time(name: string, query: MentorSearch, runs = 50) {
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      rows = (await store.users.searchMentors(query)).mentors.length;
      ms.push(performance.now() - s);
    }
    ms.sort((a, b) => a - b);
    return { name, rows, median: ms[Math.floor(runs / 2)]!.toFixed(2), p95: ms[Math.floor(runs * 0.95)]!.toFixed(2) };
  }
  const deep = await (async () => {
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) cursor = (await store.users.searchMentors({ limit: 20, ...(cursor && { cursor }) })).nextCursor ?? undefined;
    return cursor;
  })();
  const results = [
    await time('no filter, first page', { limit: 20 }),
    await time('no filter, page 51 (cursor)', { limit: 20, ...(deep && { cursor: deep }) }),
    await time('skill=rust', { skill: 'rust', limit: 20 }),
    await time('q=leadership (common word)', { q: 'leadership', limit: 20 }),
    await time('q=lead (prefix of common words)', { q: 'lead', limit: 20 }),
    await time(`q=${RARE} (rare word)`, { q: RARE, limit: 20 }),
    await time('q=platform security + skill=go', { q: 'platform security', skill: 'go', limit: 20 }),
    await time('q=nomatch', { q: 'nomatchword', limit: 20 }),
  ];
  console.log(`users: ${USERS} (≈${Math.round(USERS * MENTOR_SHARE)} mentors); filling took ${(fillMs / 1000).toFixed(1)} s incl. index upkeep`);
  console.table(results);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
