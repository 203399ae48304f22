import { expect } from 'chai';
import { parseMarkdown, plainText, safeHref, toHtml } from '../../client/src/sdk/markdown.js';

describe('sdk markdown (safe subset)', () => {
  it('escapes raw HTML: a <script> tag is shown as text, never as an element', () => {
    const html = toHtml('Hello <script>alert("x")</script> & <img src=x onerror=alert(1)>');
    expect(html).to.equal('<p>Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</p>');
    expect(html).not.to.match(/<script|<img/);
  });

  it('neutralises javascript:, data: and vbscript: links, keeping their label as plain text', () => {
    for (const target of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:msgbox', '//evil.example/x', '/relative']) {
      const html = toHtml(`[click me](${target})`);
      expect(html, target).not.to.contain('<a');
      expect(html, target).to.contain('click me');
    }
    expect(toHtml('<javascript:alert(1)>')).not.to.contain('<a');
    expect(safeHref('javascript:alert(1)')).to.equal(null);
    expect(safeHref('https://example.com/a b')).to.equal(null);
  });

  it('keeps http(s) links, escaping quotes in the address so it cannot break out of the attribute', () => {
    expect(toHtml('[docs](https://example.com/?a=1&b="2")')).to.equal(
      '<p><a href="https://example.com/?a=1&amp;b=%222%22" rel="nofollow noopener noreferrer">docs</a></p>',
    );
    expect(toHtml('see https://example.com/x.')).to.equal('<p>see <a href="https://example.com/x" rel="nofollow noopener noreferrer">https://example.com/x</a>.</p>');
    expect(toHtml('<http://example.com>')).to.contain('<a href="http://example.com/"');
  });

  it('renders emphasis, strong and code, and leaves snake_case and lone stars alone', () => {
    expect(toHtml('*em* and **strong** and `a <b> c`')).to.equal('<p><em>em</em> and <strong>strong</strong> and <code>a &lt;b&gt; c</code></p>');
    expect(toHtml('my_var_name and 2 * 3 * 4')).to.equal('<p>my_var_name and 2 * 3 * 4</p>');
    expect(toHtml('__bold__ _it_')).to.equal('<p><strong>bold</strong> <em>it</em></p>');
    expect(toHtml('\\*not em\\*')).to.equal('<p>*not em*</p>');
  });

  it('parses paragraphs, line breaks, lists, headings, quotes, code blocks and rules', () => {
    const src = ['# Week 3', '', 'Tried *two* things.', 'Both failed.', '', '- one', '- two', '', '3. third', '4. fourth', '', '> quoted', '', '```', '<raw> & code', '```', '', '    indented code', '', '---'].join('\n');
    expect(toHtml(src)).to.equal(
      '<h1>Week 3</h1><p>Tried <em>two</em> things.<br>Both failed.</p><ul><li>one</li><li>two</li></ul><ol start="3"><li>third</li><li>fourth</li></ol>' +
        '<blockquote><p>quoted</p></blockquote><pre><code>&lt;raw&gt; &amp; code</code></pre><pre><code>indented code</code></pre><hr>',
    );
    expect(parseMarkdown('a\r\nb')).to.deep.equal([{ type: 'paragraph', children: [{ type: 'text', text: 'a' }, { type: 'break' }, { type: 'text', text: 'b' }] }]);
  });

  it('renders hostile input (unclosed delimiters, deep quotes) in linear time up to the 20,000-character limit', () => {
    // Complexity, not speed: four times the input must cost well under 16 times (quadratic) the
    // time, whatever the machine's load. Best of three runs each, so one stall does not decide.
    const best = (input: string) => Math.min(...[0, 1, 2].map(() => { const t = performance.now(); toHtml(input); return performance.now() - t; }));
    const shapes: Array<(n: number) => string> = [
      (n) => '*a '.repeat(n / 3), (n) => '**a '.repeat(n / 4), (n) => '>'.repeat(n), (n) => '['.repeat(n),
      (n) => '[a]'.repeat(n / 3), (n) => '`'.repeat(n - 1) + 'x', (n) => '_a'.repeat(n / 2),
    ];
    for (const shape of shapes) {
      const small = best(shape(5_000));
      const large = best(shape(20_000));
      expect(large / Math.max(small, 0.5), shape(20).slice(0, 10)).to.be.below(10);
    }
  });

  it('gives the plain text of a body for previews', () => {
    expect(plainText('# Title\n\n**Bold** [link](https://x.example) <b>\n\n- a\n- b')).to.equal('Title Bold link <b> a b');
  });
});
