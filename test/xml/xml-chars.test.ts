// XML 1.0 section 2.2 (Char), 2.3 (Name) and 4.1 (references) as implemented in xml-chars.ts.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReference, findIllegalChar, isXmlChar, qnameColon, referenceEnd, scanName } from '../../src/xml/xml-chars.js';
import { XmlParseError } from '../../src/xml/xml-error.js';

function referenceCondition(ref: string): string {
  try {
    return decodeReference(ref, 0, ref.length - 1);
  } catch (err) {
    assert.ok(err instanceof XmlParseError);
    return err.condition;
  }
}

describe('XML characters and names', () => {
  it('Char excludes C0 controls other than tab, LF, CR, the surrogate block and U+FFFE/U+FFFF', () => {
    for (const cp of [0x9, 0xa, 0xd, 0x20, 0xd7ff, 0xe000, 0xfffd, 0x10000, 0x10ffff]) assert.ok(isXmlChar(cp), cp.toString(16));
    for (const cp of [0x0, 0x8, 0xb, 0xc, 0x1f, 0xd800, 0xdfff, 0xfffe, 0xffff, 0x110000]) assert.ok(!isXmlChar(cp), cp.toString(16));
  });

  it('findIllegalChar accepts surrogate pairs and finds lone surrogates', () => {
    assert.equal(findIllegalChar('a\u{1F600}b', 0, 4), -1);
    assert.equal(findIllegalChar('a\ud83db', 0, 3), 1);
    assert.equal(findIllegalChar('ab\ude00', 0, 3), 2);
    assert.equal(findIllegalChar('ab\u0000', 0, 3), 2);
  });

  it('a Name starts with a letter, _ or : and continues with letters, digits, - . and combining marks', () => {
    assert.equal(scanName('stream:features>', 0), 15);
    assert.equal(scanName('_a-b.c9 ', 0), 7);
    assert.equal(scanName('9abc', 0), 0);
    assert.equal(scanName('-abc', 0), 0);
    assert.equal(scanName('\u00e9t\u00e9\u0301=', 0), 4);
    assert.equal(scanName('\u{10000}x', 0), 3);
    assert.equal(scanName('a\u00d7b', 0), 1);
  });

  it('a QName has at most one colon, not at either end', () => {
    assert.equal(qnameColon('stream:stream'), 6);
    assert.equal(qnameColon('message'), -1);
    for (const bad of [':a', 'a:', 'a:b:c']) assert.throws(() => qnameColon(bad), { condition: 'not-well-formed' });
  });
});

describe('references', () => {
  it('referenceEnd finds the semicolon or asks for more input', () => {
    assert.equal(referenceEnd('&amp;x', 0), 4);
    assert.equal(referenceEnd('&am', 0), -1);
    assert.throws(() => referenceEnd('&a b;', 0), { condition: 'not-well-formed' });
    assert.throws(() => referenceEnd('&' + 'a'.repeat(64), 0), { condition: 'not-well-formed' });
  });

  it('decodes the five predefined entities and decimal and hexadecimal character references', () => {
    assert.deepEqual(['&lt;', '&gt;', '&amp;', '&quot;', '&apos;', '&#65;', '&#x41;', '&#x1f600;'].map(referenceCondition), ['<', '>', '&', '"', "'", 'A', 'A', '\u{1F600}']);
  });

  it('any other well-formed entity reference is restricted-xml; a malformed one is not-well-formed', () => {
    assert.equal(referenceCondition('&nbsp;'), 'restricted-xml');
    assert.equal(referenceCondition('&AMP;'), 'restricted-xml');
    assert.equal(referenceCondition('&#X41;'), 'not-well-formed');
    assert.equal(referenceCondition('&#-1;'), 'not-well-formed');
    assert.equal(referenceCondition('&1a;'), 'not-well-formed');
  });
});
