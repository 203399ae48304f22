import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ERROR_CODES, STATUS } from '../../shared/errors.js';
import { Ev } from '../../shared/events.js';

const protocol = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'PROTOCOL.md'), 'utf8');
const docs = ['PROTOCOL.md', 'COLLAB.md', 'LIFECYCLE.md', 'THREADS.md']
  .map((f) => {
    try {
      return readFileSync(join(import.meta.dirname, '..', '..', 'docs', f), 'utf8');
    } catch {
      return '';
    }
  })
  .join('\n');

describe('docs/PROTOCOL.md stays true to the code', () => {
  for (const code of ERROR_CODES) {
    it(`documents error code ${code} with its HTTP status`, () => {
      expect(protocol).to.match(new RegExp(`\\| \`${code}\` \\| ${STATUS[code]} \\|`));
    });
  }
  for (const event of Object.values(Ev)) {
    it(`documents socket event ${event}`, () => {
      expect(docs).to.contain(`\`${event}`);
    });
  }
});
