// RFC 3629 section 4 / Unicode Table 3-7: well-formed UTF-8, decoded across chunk boundaries, and the
// valid prefix before an ill-formed sequence.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstInvalidSequence, Utf8StreamDecoder } from '../../src/xml/utf8-decoder.js';

describe('Utf8StreamDecoder', () => {
  it('a character split across chunks is decoded once complete', () => {
    const decoder = new Utf8StreamDecoder();
    const bytes = Buffer.from('\u00e9\u20ac\u{1F600}');
    let text = '';
    for (const b of bytes) text += decoder.decode(Uint8Array.of(b));
    assert.equal(text, '\u00e9\u20ac\u{1F600}');
    assert.equal(decoder.failed, false);
  });

  it('on an ill-formed sequence it returns the text before it and reports failure', () => {
    const decoder = new Utf8StreamDecoder();
    assert.equal(decoder.decode(Buffer.from('ab\u00e9')), 'ab\u00e9');
    assert.equal(decoder.decode(Uint8Array.of(0x63, 0xc3, 0x28, 0x64)), 'c');
    assert.equal(decoder.failed, true);
    assert.equal(decoder.decode(Buffer.from('more')), '');
  });

  it('a sequence started in one chunk and broken in the next yields nothing of it', () => {
    const decoder = new Utf8StreamDecoder();
    assert.equal(decoder.decode(Uint8Array.of(0x61, 0xe2, 0x82)), 'a');
    assert.equal(decoder.decode(Uint8Array.of(0x41)), '');
    assert.equal(decoder.failed, true);
  });

  it('reset() forgets a failure and a pending partial character', () => {
    const decoder = new Utf8StreamDecoder();
    decoder.decode(Uint8Array.of(0xe2));
    decoder.reset();
    assert.equal(decoder.decode(Buffer.from('ok')), 'ok');
    assert.equal(decoder.failed, false);
  });

  it('firstInvalidSequence rejects overlongs, surrogates, values above U+10FFFF and stray continuation bytes', () => {
    assert.equal(firstInvalidSequence(Buffer.from('h\u00e9\u{10FFFF}')), 7);
    for (const bad of [[0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf0, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0x80], [0xfe]]) {
      assert.equal(firstInvalidSequence(Uint8Array.of(0x61, ...bad)), 1, bad.map((b) => b.toString(16)).join(' '));
    }
  });

  it('firstInvalidSequence treats an unfinished final sequence as the end of the valid prefix', () => {
    assert.equal(firstInvalidSequence(Uint8Array.of(0x61, 0xf0, 0x9f, 0x98)), 1);
  });
});
