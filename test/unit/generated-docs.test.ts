import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import * as schemas from '../../shared/schemas/index.js';
import { EVENT_MAP } from '../../shared/event-map.js';
import { Ev } from '../../shared/events.js';
import { renderApiReference, withEventReference } from '../../scripts/docs/render.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const read = (...p: string[]) => readFileSync(join(repoRoot, ...p), 'utf8');

describe('generated docs (npm run docs)', () => {
  it('docs/API.md is the rendering of the current route table and schemas', () => {
    expect(read('docs', 'API.md') === renderApiReference(), 'docs/API.md is stale: run npm run docs').to.equal(true);
  });

  it("docs/PROTOCOL.md's event and endpoint reference is the rendering of shared/event-map.ts", () => {
    const protocol = read('docs', 'PROTOCOL.md');
    expect(withEventReference(protocol) === protocol, 'docs/PROTOCOL.md is stale: run npm run docs').to.equal(true);
  });

  it('notices a stale section', () => {
    const fresh = read('docs', 'PROTOCOL.md');
    const at = fresh.lastIndexOf('| `room:leave` |'); // in the generated section, after the hand-written table
    const edited = fresh.slice(0, at) + '| `room:gone` |' + fresh.slice(at + '| `room:leave` |'.length);
    expect(withEventReference(edited)).to.equal(fresh);
  });

  it('describes each client event with the schema its handler parses', () => {
    const handlers = readdirSync(join(repoRoot, 'server', 'realtime', 'handlers'))
      .map((f) => read('server', 'realtime', 'handlers', f))
      .join('\n');
    const nameOf = new Map<unknown, string>(Object.entries(schemas).map(([name, s]) => [s, name]));
    const keyOf = new Map<string, string>(Object.entries(Ev).map(([key, name]) => [name, key]));
    for (const [event, doc] of Object.entries(EVENT_MAP)) {
      if (doc.direction !== 'client') continue;
      const schema = nameOf.get(doc.schema);
      expect(schema, `${event}'s schema is exported from shared/schemas`).to.be.a('string');
      expect(handlers, `${event} is handled with ${schema}`).to.match(new RegExp(`handle\\(\\s*socket,\\s*log,\\s*Ev\\.${keyOf.get(event)},\\s*${schema}\\b`));
    }
  });
});
