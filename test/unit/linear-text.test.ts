import { expect } from 'chai';
import fc from 'fast-check';
import { parseMarkdown, plainText as sdkPlainText } from '../../client/src/sdk/markdown.js';
import { mdText } from '../../server/domain/record.js';
import { excerptOf, linkLabels, plainText } from '../../server/domain/threads.js';

/** Hostile shapes for text scanners (issue 13): long runs of openers, of blanks, of almost-links. */
const N = 20_000;
const HOSTILE: Record<string, string> = {
  brackets: '['.repeat(N),
  bracketsThenClose: '['.repeat(N) + '](',
  bangs: '![]('.repeat(N / 4),
  spaces: ' '.repeat(N) + 'x',
  headingSpaces: '#' + ' '.repeat(N) + 'x',
  hashes: '# ' + '# '.repeat(N / 2) + 'x',
  badUrls: 'http://%'.repeat(N / 8),
  escapes: '[\\'.repeat(N / 2) + '](',
  stars: '*a '.repeat(N / 3),
};

/** Runs `fn` and returns how long it took, in ms. */
const timed = (fn: () => unknown): number => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

describe('text scanners over user input are linear (issue 13)', () => {
  it('linkLabels does what /!?\\[([^\\]]*)\\]\\([^)]*\\)/g with "$1" did, on generated text', () => {
    const old = (s: string) => s.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const pieces = fc.constantFrom('[', ']', '(', ')', '!', 'a', ' ', '\\', '\n');
    fc.assert(fc.property(fc.array(pieces, { maxLength: 40 }).map((a) => a.join('')), (s) => {
      expect(linkLabels(s)).to.equal(old(s));
    }), { numRuns: 3000 });
    expect(linkLabels('see ![img](a.png) and [the doc](http://x) [a[b](c)')).to.equal('see img and the doc a[b');
  });

  it('mdText collapses whitespace runs with a line break as before', () => {
    const old = (s: string) => s.replace(/\s*\n\s*/g, ' ');
    const pieces = fc.constantFrom(' ', '\n', '\t', 'a', '\r');
    fc.assert(fc.property(fc.array(pieces, { maxLength: 30 }).map((a) => a.join('')), (s) => {
      expect(mdText(s)).to.equal(old(s));
    }), { numRuns: 2000 });
  });

  // A linear scan of 20,000 characters takes well under a millisecond; the quadratic regexes took
  // seconds. The bound is generous (shared, loaded machine) and still far below the old cost.
  for (const [name, text] of Object.entries(HOSTILE)) {
    it(`server excerpt, record text and the SDK's Markdown parser stay fast on ${name}`, () => {
      const ms = timed(() => {
        excerptOf(text);
        plainText(text);
        mdText(text);
        sdkPlainText(text);
        parseMarkdown(text);
      });
      expect(ms, `${name} took ${ms.toFixed(0)} ms`).to.be.below(1000);
    });
  }

  it('the SDK parser still reads headings, links and URLs as before', () => {
    expect(parseMarkdown('## Title ##')).to.deep.equal([{ type: 'heading', level: 2, children: [{ type: 'text', text: 'Title' }] }]);
    expect(parseMarkdown('# ###')).to.deep.equal([{ type: 'heading', level: 1, children: [{ type: 'text', text: '###' }] }]);
    expect(parseMarkdown('#nope')[0]!.type).to.equal('paragraph');
    expect(parseMarkdown('[a *b*](https://x.test/ "t")')).to.deep.equal([
      { type: 'paragraph', children: [{ type: 'link', href: 'https://x.test/', children: [{ type: 'text', text: 'a ' }, { type: 'em', children: [{ type: 'text', text: 'b' }] }] }] },
    ]);
    expect(parseMarkdown('[[x](https://y.test/)')).to.deep.equal([
      { type: 'paragraph', children: [{ type: 'link', href: 'https://y.test/', children: [{ type: 'text', text: '[x' }] }] },
    ]);
  });
});
