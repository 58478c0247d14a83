// RFC 3492 section 7.1: sample strings, encoded and decoded.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { punycodeDecode, punycodeEncode } from '../../src/jid/punycode.js';

const samples: Array<[string, string, string]> = [
  [
    '(A) Arabic (Egyptian)',
    '\u0644\u064a\u0647\u0645\u0627\u0628\u062a\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064a\u061f',
    'egbpdaj6bu4bxfgehfvwxn',
  ],
  ['(B) Chinese (simplified)', '\u4ed6\u4eec\u4e3a\u4ec0\u4e48\u4e0d\u8bf4\u4e2d\u6587', 'ihqwcrb4cv8a8dqg056pqjye'],
  ['(L) 3<nen>B<gumi><kinpachi><sensei>', '3\u5e74B\u7d44\u91d1\u516b\u5148\u751f', '3B-ww4c5e180e575a65lsy2b'],
  ['(S) -> $1.00 <-', '-> $1.00 <-', '-> $1.00 <--'],
  ['bücher', 'b\u00fccher', 'bcher-kva'],
];

describe('punycode (RFC 3492 section 7.1 samples)', () => {
  for (const [name, unicode, encoded] of samples) {
    it(`${name} encodes to its sample`, () => assert.equal(punycodeEncode(unicode), encoded));
    it(`${name} decodes back from its sample`, () => assert.equal(punycodeDecode(encoded), unicode));
  }

  it('a non-digit in the extended part is an error', () => {
    assert.throws(() => punycodeDecode('abc-!'), RangeError);
  });

  it('a truncated delta is an error', () => {
    assert.throws(() => punycodeDecode('bcher-kv9'), RangeError);
  });
});
