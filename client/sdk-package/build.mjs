// Builds @menteo/sdk from client/src/sdk: a clean dist/ with ESM and .d.ts (tsc, tsconfig.json here).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// The repo's TypeScript: the package has no dev dependencies of its own.
const tsc = createRequire(join(here, '..', '..', 'package.json')).resolve('typescript/bin/tsc');
rmSync(join(here, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
