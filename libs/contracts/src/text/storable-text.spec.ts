import { findUnstorableText, isUnstorableText, storableJson, storableText } from './storable-text';

describe('storable text (issue 12 findings 1 and 3)', () => {
  it('finding 1: finds a NUL and lone surrogates, never a well-formed pair', () => {
    expect(isUnstorableText('a\u0000b')).toBe(true);
    expect(isUnstorableText('a\uD800b')).toBe(true);
    expect(isUnstorableText('a\uDC00')).toBe(true);
    expect(isUnstorableText('\uD83D\uDE00 smile')).toBe(false);
    expect(isUnstorableText('plain, é, 中文')).toBe(false);
  });

  it('finding 1: names the path of the first unstorable string or member name, not its value', () => {
    expect(findUnstorableText({ body: { child: { name: 'Al\u0000ice' } } })).toBe(
      'body.child.name',
    );
    expect(findUnstorableText({ list: ['ok', 'x\uD800'] })).toBe('list[1]');
    expect(findUnstorableText({ ['k\u0000']: 1 })).toBe('k\uFFFD');
    expect(findUnstorableText({ a: 'fine', b: [1, null, true] })).toBeUndefined();
  });

  it('finding 3: makes text what a text column stores (U+FFFD for each NUL and lone surrogate)', () => {
    expect(storableText('a\u0000b\uD800c\uDC00')).toBe('a\uFFFDb\uFFFDc\uFFFD');
    expect(storableText('\uD83D\uDE00')).toBe('\uD83D\uDE00');
    expect(Buffer.from(storableText('x\uD800'), 'utf8').toString('utf8')).toBe(
      storableText('x\uD800'),
    );
    expect(storableJson({ ['k\u0000']: ['v\uDC00', 2] })).toEqual({ 'k\uFFFD': ['v\uFFFD', 2] });
  });
});
