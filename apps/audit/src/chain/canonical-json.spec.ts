import { canonicalJson } from './canonical-json';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, A: true })).toBe(
      '{"A":true,"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
    // RFC 8785 3.2.3: "\u20ac" (euro) sorts after "\r" and before the surrogate pair of U+1F600.
    expect(canonicalJson({ '\u{1F600}': 3, '\u20ac': 2, '\r': 1 })).toBe('{"\\r":1,"€":2,"😀":3}');
  });

  it('writes numbers and strings as RFC 8785 does', () => {
    expect(canonicalJson([1e21, 0.000001, -0, 42, 1.5])).toBe('[1e+21,0.000001,0,42,1.5]');
    expect(canonicalJson('\u0007 "é" \\ \u2028')).toBe('"\\u0007 \\"é\\" \\\\ \u2028"');
  });

  it('omits undefined members and refuses non-finite numbers', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(() => canonicalJson(Number.NaN)).toThrow('NaN');
  });
});
