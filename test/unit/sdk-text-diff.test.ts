import { expect } from 'chai';
import * as Y from 'yjs';
import { applySplice, diffText, transformPosition } from '../../client/src/sdk/text-diff.js';

describe('sdk text diff (binding a text field to a Y.Text)', () => {
  it('turns one typed character, a deletion and a paste-over into one small splice', () => {
    expect(diffText('hello world', 'hello, world')).to.deep.equal({ index: 5, remove: 0, insert: ',' });
    expect(diffText('hello world', 'hello')).to.deep.equal({ index: 5, remove: 6, insert: '' });
    expect(diffText('one two three', 'one 2 three')).to.deep.equal({ index: 4, remove: 3, insert: '2' });
    expect(diffText('same', 'same')).to.equal(null);
    expect(diffText('', 'new')).to.deep.equal({ index: 0, remove: 0, insert: 'new' });
  });

  it('picks a splice that really turns the old text into the new one, repeated characters included', () => {
    const cases: Array<[string, string]> = [['aaaa', 'aaaaa'], ['abab', 'ab'], ['xx', 'x'], ['abc', 'xyz'], ['a\nb', 'a\n\nb'], ['', ''], ['abc', '']];
    for (const [a, b] of cases) {
      const s = diffText(a, b);
      expect(s ? applySplice(a, s) : a, `${a} → ${b}`).to.equal(b);
    }
  });

  it('never splits an emoji (a surrogate pair) between the kept and the replaced text', () => {
    const before = 'go 😀 now';
    const after = 'go 😃 now'; // same high surrogate, different low one
    const s = diffText(before, after)!;
    expect(s).to.deep.equal({ index: 3, remove: 2, insert: '😃' });
    expect(applySplice(before, s)).to.equal(after);
  });

  it('keeps a concurrent edit elsewhere in the text, where replacing the whole text would lose it', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'Plan the talk');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    // A types at the end through the diff; B, at the same time, fixes the start.
    const s = diffText('Plan the talk', 'Plan the talk today')!;
    a.getText('t').insert(s.index, s.insert);
    b.getText('t').delete(0, 4);
    b.getText('t').insert(0, 'Write');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(a.getText('t').toString()).to.equal('Write the talk today');
    expect(b.getText('t').toString()).to.equal('Write the talk today');
  });

  it('moves a caret through someone else’s insertions and deletions', () => {
    // "abcdef", caret after "abcd" (4).
    expect(transformPosition(4, [{ insert: 'XY' }])).to.equal(6); // inserted before
    expect(transformPosition(4, [{ retain: 5 }, { insert: 'XY' }])).to.equal(4); // inserted after
    expect(transformPosition(4, [{ retain: 4 }, { insert: 'XY' }])).to.equal(4); // at the caret: stays before
    expect(transformPosition(4, [{ retain: 4 }, { insert: 'XY' }], true)).to.equal(6); // a selection end grows
    expect(transformPosition(4, [{ retain: 1 }, { delete: 2 }])).to.equal(2); // deleted before
    expect(transformPosition(4, [{ retain: 2 }, { delete: 4 }])).to.equal(2); // the caret's text was deleted
    expect(transformPosition(4, [{ retain: 5 }, { delete: 1 }])).to.equal(4);
    expect(transformPosition(4, [{ delete: 1 }, { insert: 'ZZZ' }])).to.equal(6);
  });

  it('agrees with the deltas Yjs reports for a remote change', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'caret here: |end');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const caret = 'caret here: |'.length;
    let moved = -1;
    b.getText('t').observe((event) => (moved = transformPosition(caret, event.delta as never)));
    a.getText('t').insert(0, '>> ');
    a.getText('t').delete(3, 6); // removes "caret "
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const text = b.getText('t').toString();
    expect(text.slice(0, moved)).to.equal('>> here: |');
  });
});
