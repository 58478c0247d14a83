// RFC 7622 section 3.5: the example JIDs, valid and invalid (example 18 is omitted per erratum
// 4560, which says a leading space is allowed in a resourcepart).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidJidError, parseJid } from '../../src/jid/index.js';

describe('RFC 7622 section 3.5 valid examples', () => {
  const valid: Array<[number, string, string, string | undefined, string, string | undefined]> = [
    // [example, input, expected string, local, domain, resource]
    [1, 'juliet@example.com', 'juliet@example.com', 'juliet', 'example.com', undefined],
    [2, 'juliet@example.com/foo', 'juliet@example.com/foo', 'juliet', 'example.com', 'foo'],
    [3, 'juliet@example.com/foo bar', 'juliet@example.com/foo bar', 'juliet', 'example.com', 'foo bar'],
    [4, 'juliet@example.com/foo@bar', 'juliet@example.com/foo@bar', 'juliet', 'example.com', 'foo@bar'],
    [5, 'foo\\20bar@example.com', 'foo\\20bar@example.com', 'foo\\20bar', 'example.com', undefined],
    [6, 'fussball@example.com', 'fussball@example.com', 'fussball', 'example.com', undefined],
    [7, 'fu\u00dfball@example.com', 'fu\u00dfball@example.com', 'fu\u00dfball', 'example.com', undefined],
    [8, '\u03c0@example.com', '\u03c0@example.com', '\u03c0', 'example.com', undefined],
    [9, '\u03a3@example.com/foo', '\u03c3@example.com/foo', '\u03c3', 'example.com', 'foo'],
    [10, '\u03c3@example.com/foo', '\u03c3@example.com/foo', '\u03c3', 'example.com', 'foo'],
    [11, '\u03c2@example.com/foo', '\u03c2@example.com/foo', '\u03c2', 'example.com', 'foo'],
    [12, 'king@example.com/\u265a', 'king@example.com/\u265a', 'king', 'example.com', '\u265a'],
    [13, 'example.com', 'example.com', undefined, 'example.com', undefined],
    [14, 'example.com/foobar', 'example.com/foobar', undefined, 'example.com', 'foobar'],
    [15, 'a.example.com/b@example.net', 'a.example.com/b@example.net', undefined, 'a.example.com', 'b@example.net'],
  ];
  for (const [n, input, expected, local, domain, resource] of valid) {
    it(`example ${n} (${input}) parses to its normalised parts`, () => {
      const j = parseJid(input);
      assert.equal(j.local, local);
      assert.equal(j.domain, domain);
      assert.equal(j.resource, resource);
      assert.equal(j.toString(), expected);
    });
  }

  it('an uppercase sigma and a lowercase sigma are the same localpart, the final sigma is another', () => {
    assert.ok(parseJid('\u03a3@example.com').equals(parseJid('\u03c3@example.com')));
    assert.ok(!parseJid('\u03c3@example.com').equals(parseJid('\u03c2@example.com')));
  });

  it('fussball and fußball are different localparts (no case folding of ß)', () => {
    assert.ok(!parseJid('fussball@example.com').equals(parseJid('fu\u00dfball@example.com')));
  });

  it('a leading space in a resourcepart is allowed (erratum 4560 removes example 18)', () => {
    assert.equal(parseJid('juliet@example.com/ foo').resource, ' foo');
  });
});

describe('RFC 7622 section 3.5 invalid examples', () => {
  const invalid: Array<[number, string, string]> = [
    [16, '"juliet"@example.com', 'quotation marks in localpart'],
    [17, 'foo bar@example.com', 'space in localpart'],
    [19, '@example.com/', 'zero-length localpart and resourcepart'],
    [20, 'henry\u2163@example.com', 'compatibility-decomposable ROMAN NUMERAL FOUR in localpart'],
    [21, '\u265a@example.com', 'symbol in localpart'],
    [22, 'juliet@', 'zero-length domainpart'],
    [23, '/foobar', 'zero-length domainpart with a resourcepart'],
  ];
  for (const [n, input, why] of invalid) {
    it(`example ${n} (${why}) is rejected with InvalidJidError`, () => {
      assert.throws(() => parseJid(input), InvalidJidError);
    });
  }
});
