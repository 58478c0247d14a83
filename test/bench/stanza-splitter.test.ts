// The load generator's stanza cutter (bench/load/stanza-splitter.ts): first-level elements of an
// RFC 6120 stream, across chunk boundaries and stream restarts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StanzaSplitter } from '../../bench/load/stanza-splitter.js';

function split(chunks: string[]): string[] {
  const events: string[] = [];
  const splitter = new StanzaSplitter({
    streamOpen: () => events.push('open'),
    stanza: (xml) => events.push(xml),
    streamClose: () => events.push('close'),
  });
  for (const c of chunks) splitter.push(c);
  return events;
}

const header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='x' version='1.0'>";
const features = "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
const success = "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>";
const iq = "<iq type='result' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>a@b/c</jid></bind></iq>";

describe('StanzaSplitter', () => {
  it('emits the header, then each first-level element whole', () => {
    assert.deepEqual(split([header + features + success]), ['open', features, success]);
  });

  it('a stream restart resets the depth so later stanzas are still first-level', () => {
    const all = header + features + success + header + features + iq + '</stream:stream>';
    assert.deepEqual(split([all]), ['open', features, success, 'open', features, iq, 'close']);
  });

  it('any cut of the input gives the same elements', () => {
    const all = header + features + success + header + iq;
    const whole = split([all]);
    for (let cut = 1; cut < all.length; cut++) assert.deepEqual(split([all.slice(0, cut), all.slice(cut)]), whole, `cut at ${cut}`);
  });

  it('pending() returns the unfinished element for a hand-over to raw mode', () => {
    const events: string[] = [];
    const splitter = new StanzaSplitter({ streamOpen: () => {}, stanza: (x) => events.push(x), streamClose: () => {} });
    splitter.push(header + iq + "<message to='a'><body>pp-");
    assert.deepEqual(events, [iq]);
    assert.equal(splitter.pending(), "<message to='a'><body>pp-");
  });
});
