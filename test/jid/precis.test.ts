// RFC 8265 section 3.3 (UsernameCaseMapped for localparts), section 4.2 (OpaqueString for
// resourceparts), RFC 8264 sections 8-9 (derived properties) and RFC 5892 appendix A (contextual
// rules), RFC 5893 (Bidi Rule), seen through JID parts.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidJidError, normalizeLocalpart, normalizeResourcepart } from '../../src/jid/index.js';

describe('localpart: UsernameCaseMapped', () => {
  it('fullwidth letters are width-mapped to ASCII and lower-cased', () => {
    assert.equal(normalizeLocalpart('\uff2a\uff55\uff4c\uff49\uff45\uff54'), 'juliet');
  });

  it('halfwidth katakana are width-mapped to their ordinary forms', () => {
    assert.equal(normalizeLocalpart('\uff83\uff7d\uff84'), '\u30c6\u30b9\u30c8');
  });

  it('decomposed input is recomposed to NFC', () => {
    assert.equal(normalizeLocalpart('e\u0301'), '\u00e9');
  });

  it('ASCII punctuation other than the JID delimiters is allowed', () => {
    assert.equal(normalizeLocalpart('o.hara+tag_x-y!#$%*=?^{}|~`\\'), 'o.hara+tag_x-y!#$%*=?^{}|~`\\');
  });

  for (const ch of ['"', '&', "'", '/', ':', '<', '>', '@']) {
    it(`the delimiter ${ch} is forbidden`, () => {
      assert.throws(() => normalizeLocalpart(`a${ch}b`), InvalidJidError);
    });
  }

  it('a fullwidth @ is forbidden too, because width mapping turns it into @', () => {
    assert.throws(() => normalizeLocalpart('a\uff20b'), InvalidJidError);
  });

  it('spaces of any kind are not allowed', () => {
    for (const s of ['a b', 'a\u00a0b', 'a\u3000b']) assert.throws(() => normalizeLocalpart(s), InvalidJidError);
  });

  it('control characters and default-ignorable code points are disallowed', () => {
    for (const s of ['a\u0000', 'a\u007f', 'a\u00ad', 'a\u200b', 'a\ufeff']) {
      assert.throws(() => normalizeLocalpart(s), InvalidJidError, JSON.stringify(s));
    }
  });

  it('unassigned code points are disallowed', () => {
    assert.throws(() => normalizeLocalpart('a\u0378'), InvalidJidError);
  });

  it('a titlecase digraph is lower-cased and then refused for its compatibility decomposition', () => {
    assert.throws(() => normalizeLocalpart('\u01c5'), InvalidJidError);
  });

  it('ZERO WIDTH JOINER is allowed after a virama and nowhere else', () => {
    assert.equal(normalizeLocalpart('\u0915\u094d\u200d\u0937'), '\u0915\u094d\u200d\u0937');
    assert.throws(() => normalizeLocalpart('a\u200db'), InvalidJidError);
  });

  it('MIDDLE DOT is allowed only between two l (Catalan)', () => {
    assert.equal(normalizeLocalpart('col\u00b7legi'), 'col\u00b7legi');
    assert.throws(() => normalizeLocalpart('a\u00b7b'), InvalidJidError);
  });

  it('GREEK LOWER NUMERAL SIGN needs a Greek letter after it', () => {
    assert.doesNotThrow(() => normalizeLocalpart('\u0375\u03b1'));
    assert.throws(() => normalizeLocalpart('\u0375a'), InvalidJidError);
  });

  it('HEBREW GERESH needs a Hebrew letter before it', () => {
    assert.doesNotThrow(() => normalizeLocalpart('\u05d0\u05f3'));
    assert.throws(() => normalizeLocalpart('a\u05f3'), InvalidJidError);
  });

  it('KATAKANA MIDDLE DOT needs kana or Han in the same string', () => {
    assert.doesNotThrow(() => normalizeLocalpart('\u30a2\u30fb\u30a4'));
    assert.throws(() => normalizeLocalpart('a\u30fbb'), InvalidJidError);
  });

  it('Arabic-Indic and extended Arabic-Indic digits cannot be mixed', () => {
    assert.doesNotThrow(() => normalizeLocalpart('\u0628\u0661\u0662'));
    assert.throws(() => normalizeLocalpart('\u0628\u0661\u06f2'), InvalidJidError);
  });

  it('a right-to-left localpart passes the Bidi Rule', () => {
    assert.equal(normalizeLocalpart('\u05e9\u05dc\u05d5\u05dd'), '\u05e9\u05dc\u05d5\u05dd');
  });

  it('mixing a left-to-right letter into a right-to-left string violates the Bidi Rule', () => {
    assert.throws(() => normalizeLocalpart('\u05e9a'), InvalidJidError);
    assert.throws(() => normalizeLocalpart('a\u05e9'), InvalidJidError);
  });
});

describe('resourcepart: OpaqueString', () => {
  it('non-ASCII spaces become U+0020', () => {
    assert.equal(normalizeResourcepart('a\u00a0b\u2003c'), 'a b c');
  });

  it('case is preserved and symbols are allowed', () => {
    assert.equal(normalizeResourcepart('Balcony \u265a @ 12:00'), 'Balcony \u265a @ 12:00');
  });

  it('compatibility characters are allowed but NFC is applied', () => {
    assert.equal(normalizeResourcepart('\u2163 e\u0301'), '\u2163 \u00e9');
  });

  it('control characters are disallowed', () => {
    for (const s of ['a\u0000', 'a\n', 'a\u0085']) assert.throws(() => normalizeResourcepart(s), InvalidJidError);
  });

  it('lone surrogates are disallowed', () => {
    assert.throws(() => normalizeResourcepart('a\ud800'), InvalidJidError);
  });
});
