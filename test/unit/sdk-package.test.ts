import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { expect } from 'chai';

const repoRoot = join(import.meta.dirname, '..', '..');
const entry = join(repoRoot, 'client', 'src', 'sdk', 'index.ts');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'client', 'sdk-package', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/** Objects only a browser page has: using one would break the SDK in Node and React Native. */
const DOM_ONLY = ['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'HTMLElement', 'BroadcastChannel', 'indexedDB'];

const stripComments = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
const specifiers = (src: string) => [...src.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => (m[1] ?? m[2])!);

/** Every file the SDK entry reaches through relative imports, and every bare specifier they import. */
function importGraph(): { files: Map<string, string>; bare: Map<string, string[]> } {
  const files = new Map<string, string>();
  const bare = new Map<string, string[]>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const src = stripComments(readFileSync(file, 'utf8'));
    files.set(file, src);
    for (const spec of specifiers(src)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else bare.set(spec, [...(bare.get(spec) ?? []), relative(repoRoot, file)]);
    }
  };
  visit(entry);
  return { files, bare };
}

describe('@menteo/sdk import graph', () => {
  const { files, bare } = importGraph();

  it('reaches the SDK and shared/ only', () => {
    const outside = [...files.keys()].map((f) => relative(repoRoot, f)).filter((f) => !f.startsWith('client/src/sdk/') && !f.startsWith('shared/'));
    expect(outside).to.deep.equal([]);
    expect(files.size).to.be.greaterThan(20);
  });

  it('imports no Node built-in and no package the SDK does not declare', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    const builtins = new Set(builtinModules);
    const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
    const nodeOnly = [...bare.keys()].filter((s) => s.startsWith('node:') || builtins.has(packageOf(s)));
    expect(nodeOnly, 'Node built-ins').to.deep.equal([]);
    expect([...bare.keys()].map(packageOf).filter((p) => !declared.has(p)), 'undeclared packages').to.deep.equal([]);
    expect([...bare.keys()].map(packageOf)).to.include.members(['socket.io-client', 'yjs', 'y-websocket']);
  });

  it('uses no DOM-only global', () => {
    const uses: string[] = [];
    for (const [file, src] of files) {
      for (const name of DOM_ONLY) if (new RegExp(`(?<![.\\w'"])${name}\\b(?!\\s*:)`).test(src)) uses.push(`${relative(repoRoot, file)}: ${name}`);
    }
    expect(uses).to.deep.equal([]);
  });

  it('takes socket.io-client, yjs and y-websocket as peers, not as its own copies', () => {
    expect(Object.keys(pkg.peerDependencies).sort()).to.deep.equal(['socket.io-client', 'y-websocket', 'yjs']);
    expect(Object.keys(pkg.dependencies)).to.deep.equal(['zod']);
  });
});
