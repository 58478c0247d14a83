// XEP-0106 section 5.1 (the JID examples table) and section 4.3 (exceptions).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidJidError, escapeLocal, parseJid, unescapeLocal } from '../../src/jid/index.js';

describe('XEP-0106 JID escaping', () => {
  const table: Array<[number, string, string]> = [
    [1, 'space cadet', 'space\\20cadet'],
    [2, 'call me "ishmael"', 'call\\20me\\20\\22ishmael\\22'],
    [3, 'at&t guy', 'at\\26t\\20guy'],
    [4, "d'artagnan", 'd\\27artagnan'],
    [5, '/.fanboy', '\\2f.fanboy'],
    [6, '::foo::', '\\3a\\3afoo\\3a\\3a'],
    [7, '<foo>', '\\3cfoo\\3e'],
    [8, 'user@host', 'user\\40host'],
    [12, 'c:\\5commas', 'c\\3a\\5c5commas'],
  ];
  for (const [n, display, escaped] of table) {
    it(`example ${n}: "${display}" escapes to ${escaped} and back`, () => {
      assert.equal(escapeLocal(display), escaped);
      assert.equal(unescapeLocal(escaped), display);
    });
    it(`example ${n}: the escaped form is a valid localpart`, () => {
      assert.equal(parseJid(`${escaped}@example.com`).local, escaped);
    });
  }

  it('a backslash that starts no escape sequence is left alone (section 4.1 rule 7)', () => {
    assert.equal(escapeLocal('c:\\net'), 'c\\3a\\net');
    assert.equal(unescapeLocal('c\\3a\\net'), 'c:\\net');
  });

  it('partial escape sequences are not modified (section 4.3)', () => {
    assert.equal(escapeLocal('\\2plus\\2is\\4'), '\\2plus\\2is\\4');
    assert.equal(unescapeLocal('\\2plus\\2is\\4'), '\\2plus\\2is\\4');
  });

  it('sequences for characters not on the list are not modified (section 4.3)', () => {
    assert.equal(unescapeLocal('foo\\bar'), 'foo\\bar');
    assert.equal(unescapeLocal('foob\\41r'), 'foob\\41r');
    assert.equal(escapeLocal('foob\\41r'), 'foob\\41r');
  });

  it('escape sequences are case-sensitive: \\2F is not an escape', () => {
    assert.equal(unescapeLocal('a\\2Fb'), 'a\\2Fb');
  });

  it('the wv: example escapes backslashes that would read as escapes', () => {
    assert.equal(escapeLocal('\\3and\\2is\\5cool'), '\\5c3and\\2is\\5c5cool');
    assert.equal(unescapeLocal('\\5c3and\\2is\\5c5cool'), '\\3and\\2is\\5cool');
  });

  it('a leading or trailing space cannot be escaped', () => {
    assert.throws(() => escapeLocal(' cadet'), InvalidJidError);
    assert.throws(() => escapeLocal('cadet '), InvalidJidError);
  });
});
