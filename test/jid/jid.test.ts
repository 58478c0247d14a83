// RFC 7622 section 3.1 (splitting a JID into parts), sections 3.2-3.4 (each part 1..1023 octets)
// and the Jid value: bare(), equality, string form.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidJidError, jid, parseJid, tryParseJid } from '../../src/jid/index.js';

describe('splitting a JID string', () => {
  it('the resourcepart starts at the first slash and may contain @ and /', () => {
    const j = parseJid('a@b.example/c@d/e');
    assert.deepEqual([j.local, j.domain, j.resource], ['a', 'b.example', 'c@d/e']);
  });

  it('the localpart ends at the first @ before the resourcepart', () => {
    const j = parseJid('b.example/c@d');
    assert.equal(j.local, undefined);
    assert.equal(j.resource, 'c@d');
  });

  it('two @ before the resourcepart make the domainpart invalid', () => {
    assert.throws(() => parseJid('a@b@example.com'), InvalidJidError);
  });

  it('an empty resourcepart after a slash is invalid', () => {
    assert.throws(() => parseJid('a@example.com/'), (e: InvalidJidError) => e.part === 'resourcepart');
  });

  it('an empty localpart before an @ is invalid', () => {
    assert.throws(() => parseJid('@example.com'), (e: InvalidJidError) => e.part === 'localpart');
  });

  it('the empty string is invalid', () => {
    assert.throws(() => parseJid(''), InvalidJidError);
  });
});

describe('part lengths', () => {
  it('a localpart of 1023 octets is accepted and one of 1024 is rejected', () => {
    assert.equal(parseJid('a'.repeat(1023) + '@example.com').local!.length, 1023);
    assert.throws(() => parseJid('a'.repeat(1024) + '@example.com'), (e: InvalidJidError) => e.part === 'localpart');
  });

  it('the limit counts UTF-8 octets, not characters', () => {
    assert.doesNotThrow(() => parseJid('\u00e9'.repeat(511) + '@example.com')); // 1022 octets
    assert.throws(() => parseJid('\u00e9'.repeat(512) + '@example.com'), InvalidJidError); // 1024 octets
  });

  it('a resourcepart of 1024 octets is rejected', () => {
    assert.doesNotThrow(() => parseJid('example.com/' + 'r'.repeat(1023)));
    assert.throws(() => parseJid('example.com/' + 'r'.repeat(1024)), (e: InvalidJidError) => e.part === 'resourcepart');
  });

  it('a domainpart over 1023 octets is rejected', () => {
    const label = 'a'.repeat(63);
    const domain = Array(16).fill(label).join('.') + '.b'; // 16*64 + 1 = 1025 octets
    assert.throws(() => parseJid(domain), (e: InvalidJidError) => e.part === 'domainpart');
  });

  it('a megabyte of input is rejected without being normalised', () => {
    assert.throws(() => parseJid('\u00c5'.repeat(1 << 20)), InvalidJidError);
  });
});

describe('the Jid value', () => {
  it('bare() drops the resourcepart and returns the same object for a bare JID', () => {
    const full = parseJid('Juliet@Example.com/balcony');
    assert.equal(full.bare().toString(), 'juliet@example.com');
    assert.equal(full.bare().bare(), full.bare());
    assert.ok(full.bare().isBare());
    assert.ok(!full.isBare());
  });

  it('equals compares normalised parts', () => {
    assert.ok(parseJid('JULIET@EXAMPLE.COM/Balcony').equals(parseJid('juliet@example.com/Balcony')));
    assert.ok(!parseJid('juliet@example.com/Balcony').equals(parseJid('juliet@example.com/balcony')));
    assert.ok(!parseJid('juliet@example.com').equals(undefined));
  });

  it('the resourcepart keeps its case', () => {
    assert.equal(parseJid('example.com/Home').resource, 'Home');
  });

  it('jid() normalises each part and rejects invalid ones', () => {
    assert.equal(jid('Romeo', 'Example.NET', 'orchard').toString(), 'romeo@example.net/orchard');
    assert.equal(jid(undefined, 'example.net').toString(), 'example.net');
    assert.throws(() => jid('', 'example.net'), InvalidJidError);
    assert.throws(() => jid('romeo', 'example.net', ''), InvalidJidError);
  });

  it('withResource validates the new resourcepart', () => {
    assert.equal(parseJid('a@example.com/x').withResource('y').toString(), 'a@example.com/y');
    assert.throws(() => parseJid('a@example.com').withResource('\u0000'), InvalidJidError);
  });

  it('a Jid cannot be constructed around the validation', () => {
    const Ctor = parseJid('example.com').constructor as new (...args: unknown[]) => unknown;
    assert.throws(() => new Ctor(Symbol('forged'), 'A B', 'x', undefined), TypeError);
  });

  it('serialises to JSON as its string form', () => {
    assert.equal(JSON.stringify({ to: parseJid('a@example.com/r') }), '{"to":"a@example.com/r"}');
  });

  it('a repeated parse gives an identical, equal value', () => {
    const first = parseJid('cached@example.com/r');
    const second = parseJid('cached@example.com/r');
    assert.ok(first.equals(second));
  });

  it('tryParseJid answers undefined instead of throwing', () => {
    assert.equal(tryParseJid('@'), undefined);
    assert.equal(tryParseJid('a@b')?.toString(), 'a@b');
  });
});
