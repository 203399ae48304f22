/**
 * `npm run docs`: writes docs/API.md and the generated section of docs/PROTOCOL.md.
 * `npm run docs -- --check` only reports (exit 1) when either is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderApiReference, withEventReference } from './render.js';

const docs = join(import.meta.dirname, '..', '..', 'docs');
const targets = [
  { file: join(docs, 'API.md'), render: () => renderApiReference() },
  { file: join(docs, 'PROTOCOL.md'), render: () => withEventReference(readFileSync(join(docs, 'PROTOCOL.md'), 'utf8')) },
];
const check = process.argv.includes('--check');
let stale = 0;
for (const { file, render } of targets) {
  const next = render();
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* first run */
  }
  if (current === next) continue;
  stale += 1;
  if (check) console.error(`${file} is stale: run npm run docs`);
  else writeFileSync(file, next);
}
process.exit(check && stale > 0 ? 1 : 0);
