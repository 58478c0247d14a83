// RFC 7395 section 3.3: the serialisations of the framing elements and the outgoing stanza
// namespace, as units (the conversation tests show them on the wire).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE_FRAME, classifyFrame, closeFrame, openFrame, qualifyStanza } from '../../../src/transports/websocket/framing.js';
import { parseDocument } from '../../../src/xml/parse-document.js';

describe('WebSocket framing serialisation (RFC 7395 section 3.3)', () => {
  it('the close is exactly the string Strophe.js compares against', () => {
    assert.equal(CLOSE_FRAME, '<close xmlns="urn:ietf:params:xml:ns:xmpp-framing" />');
    assert.equal(closeFrame(), CLOSE_FRAME);
  });

  it('a see-other-uri close carries the escaped URI (3.6.1)', () => {
    assert.equal(
      closeFrame('wss://b.example/ws?a=1&b=2'),
      '<close xmlns="urn:ietf:params:xml:ns:xmpp-framing" see-other-uri="wss://b.example/ws?a=1&amp;b=2" />',
    );
  });

  it('the server <open/> starts with "<open " and escapes its attributes (3.4)', () => {
    const frame = openFrame({ from: 'example.com', id: 'a"b', version: '1.0', 'xml:lang': 'en' });
    assert.ok(frame.startsWith('<open '));
    const el = parseDocument(frame);
    assert.equal(el.attrs.xmlns, 'urn:ietf:params:xml:ns:xmpp-framing');
    assert.equal(el.attrs.id, 'a"b');
    assert.equal(el.attrs['xml:lang'], 'en');
  });

  it('an outgoing stanza without a namespace gets xmlns=jabber:client (3.3.3)', () => {
    assert.equal(qualifyStanza(`<iq type='result' id='1'/>`), `<iq xmlns='jabber:client' type='result' id='1'/>`);
    assert.equal(qualifyStanza('<presence/>'), `<presence xmlns='jabber:client'/>`);
    assert.equal(qualifyStanza('<message><body>x</body></message>'), `<message xmlns='jabber:client'><body>x</body></message>`);
  });

  it('a stanza that already declares its namespace is left as it is', () => {
    const s = `<message to='a@b' xmlns='jabber:client'><body/></message>`;
    assert.equal(qualifyStanza(s), s);
  });

  it('xmlns text inside an attribute value or a child does not count as the stanza namespace', () => {
    assert.equal(
      qualifyStanza(`<message id='x xmlns=1 >'><x xmlns='y'/></message>`),
      `<message xmlns='jabber:client' id='x xmlns=1 >'><x xmlns='y'/></message>`,
    );
  });

  it('a prefix declaration (xmlns:x) is not a default namespace declaration', () => {
    assert.equal(qualifyStanza(`<message xmlns:x='urn:x'/>`), `<message xmlns='jabber:client' xmlns:x='urn:x'/>`);
  });

  it('nonzas and prefixed elements are not touched', () => {
    for (const s of [`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>`, `<stream:features xmlns:stream='s'/>`, `<r xmlns='urn:xmpp:sm:3'/>`, `<messages/>`]) {
      assert.equal(qualifyStanza(s), s);
    }
  });

  it('the framing headers are recognised by namespace, not by spelling', () => {
    const framing = 'urn:ietf:params:xml:ns:xmpp-framing';
    assert.equal(classifyFrame(parseDocument(`<open xmlns='${framing}'/>`)), 'open');
    assert.equal(classifyFrame(parseDocument(`<f:open xmlns:f='${framing}'/>`)), 'open');
    assert.equal(classifyFrame(parseDocument(`<close xmlns='${framing}'/>`)), 'close');
    assert.equal(classifyFrame(parseDocument(`<open xmlns='jabber:client'/>`)), 'misqualified-open');
    assert.equal(classifyFrame(parseDocument(`<open/>`)), 'misqualified-open');
    assert.equal(classifyFrame(parseDocument(`<close xmlns='jabber:client'/>`)), 'element');
    assert.equal(classifyFrame(parseDocument(`<message xmlns='jabber:client'/>`)), 'element');
  });
});
