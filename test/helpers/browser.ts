import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; CI installs it in .ci/run. Override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const repoRoot = join(import.meta.dirname, '..', '..');
const builtIndex = join(repoRoot, 'dist', 'client', 'index.html');

/**
 * Newest mtime of the files below `dir`, leaving out build output (any `dist/`): the SDK package
 * test builds client/sdk-package/dist while the suite runs, which says nothing about the web app.
 */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && (entry.name === 'dist' || entry.name === 'node_modules')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Fails loudly (never skips) when the e2e suite cannot test the current app: no Chromium, no
 * built web app, or a build older than its sources.
 */
export function assertE2eReady(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`e2e tests need Chromium at ${CHROMIUM_PATH}. Install it with "apt-get install -y chromium" (.ci/run does), or set CHROMIUM_PATH.`);
  }
  if (!existsSync(builtIndex)) {
    throw new Error('dist/client/index.html is missing: run "npm run build:client" (npm test does it in pretest).');
  }
  const sources = Math.max(newestMtime(join(repoRoot, 'client')), newestMtime(join(repoRoot, 'shared')));
  if (sources > statSync(builtIndex).mtimeMs) {
    throw new Error('dist/client is older than client/ or shared/: run "npm run build:client" so the e2e tests run the current app.');
  }
}

/**
 * Headless Chromium. Playwright's launch() gives every run a fresh temporary user-data dir
 * (and removes it on close), so no profile state leaks between runs.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
