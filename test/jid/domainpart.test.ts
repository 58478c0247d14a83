// RFC 7622 section 3.2 (domainpart: IDNA2008 labels, IP literals, trailing dot), RFC 5891 section
// 4.2 and 5.4 (U-label and A-label checks), RFC 1034 section 3.1 (63-octet labels).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidJidError, normalizeDomainpart } from '../../src/jid/index.js';

const rejects = (d: string) => assert.throws(() => normalizeDomainpart(d), InvalidJidError, JSON.stringify(d));

describe('domainpart', () => {
  it('ASCII domains are lower-cased', () => {
    assert.equal(normalizeDomainpart('XMPP.Example.COM'), 'xmpp.example.com');
  });

  it('one trailing dot is stripped before use', () => {
    assert.equal(normalizeDomainpart('example.com.'), 'example.com');
    rejects('example.com..');
    rejects('.');
  });

  it('an empty label is invalid', () => {
    rejects('a..b');
    rejects('.example.com');
  });

  it('labels may not start or end with a hyphen', () => {
    rejects('-a.example');
    rejects('a-.example');
    assert.equal(normalizeDomainpart('a-b.example'), 'a-b.example');
  });

  it('ASCII other than letters, digits and hyphen is refused', () => {
    for (const d of ['exa_mple.com', 'a b.com', 'a@b', 'a:5222', 'a!b']) rejects(d);
  });

  it('a 63-octet label is allowed and a 64-octet label is not', () => {
    assert.equal(normalizeDomainpart('a'.repeat(63) + '.example'), 'a'.repeat(63) + '.example');
    rejects('a'.repeat(64) + '.example');
  });

  it('U-labels are kept as lower-cased NFC U-labels', () => {
    assert.equal(normalizeDomainpart('B\u00dcCHER.example'), 'b\u00fccher.example');
    assert.equal(normalizeDomainpart('bu\u0308cher.example'), 'b\u00fccher.example');
  });

  it('an A-label is converted to its U-label, so both spellings compare equal', () => {
    assert.equal(normalizeDomainpart('xn--bcher-kva.example'), 'b\u00fccher.example');
    assert.equal(normalizeDomainpart('XN--BCHER-KVA.example'), 'b\u00fccher.example');
  });

  it('an A-label that does not decode to a valid U-label is refused', () => {
    rejects('xn--a.example'); // decodes to U+0080, a control
    rejects('xn--.example');
    rejects('xn--abc-.example'); // trailing hyphen
    rejects('xn--bcher-kva9.example');
  });

  it('ideographic full stops separate labels', () => {
    assert.equal(normalizeDomainpart('\u4f8b\u3048\u3002\u30c6\u30b9\u30c8'), '\u4f8b\u3048.\u30c6\u30b9\u30c8');
  });

  it('fullwidth ASCII is width-mapped', () => {
    assert.equal(normalizeDomainpart('\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d'), 'example.com');
  });

  it('a U-label whose A-label exceeds 63 octets is refused', () => {
    rejects('\u00fc'.repeat(60) + '.example');
  });

  it('symbols, punctuation and compatibility characters are not allowed in U-labels', () => {
    for (const d of ['\u265a.example', 'a\u2163.example', 'a\u00b7b.example', '\u00e0\u2014.example']) rejects(d);
  });

  it('a U-label may not start with a combining mark', () => {
    rejects('\u0301a.example');
  });

  it('a U-label may not have -- in positions 3 and 4', () => {
    rejects('\u00e9b--c.example');
  });

  it('IPv4 addresses are domainparts', () => {
    assert.equal(normalizeDomainpart('127.0.0.1'), '127.0.0.1');
  });

  it('IPv6 addresses are accepted in brackets, lower-cased', () => {
    assert.equal(normalizeDomainpart('[::1]'), '[::1]');
    assert.equal(normalizeDomainpart('[2001:DB8::A]'), '[2001:db8::a]');
    assert.equal(normalizeDomainpart('[::ffff:192.0.2.1]'), '[::ffff:192.0.2.1]');
    assert.equal(normalizeDomainpart('[1:2:3:4:5:6:7:8]'), '[1:2:3:4:5:6:7:8]');
  });

  it('malformed IPv6 literals are refused', () => {
    for (const d of ['[::1', '[]', '[1::2::3]', '[1:2:3:4:5:6:7:8:9]', '[12345::]', '[::g]', '[1:2:3:4:5:6:7]', '[::1.2.3.256]']) {
      rejects(d);
    }
  });
});
