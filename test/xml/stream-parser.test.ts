// RFC 6120 section 4 (streams): the root, first-level elements with the stream's namespace, whitespace
// keepalives, 4.3.3 restart via reset(), limits enforced while data arrives, and 11.6 UTF-8 decoding.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StreamParser } from '../../src/xml/stream-parser.js';
import { parseStream, SHORT_HEADER, StreamRecorder, STREAM_HEADER } from './stream-recorder.js';

describe('StreamParser: stream structure', () => {
  it('the stream root is reported with its attributes and no children', () => {
    const rec = parseStream(STREAM_HEADER);
    assert.equal(rec.events.length, 1);
    const root = rec.root!;
    assert.equal(root.name, 'stream:stream');
    assert.equal(root.attrs.to, 'example.com');
    assert.equal(root.attrs['xml:lang'], 'en');
    assert.equal(root.getNS(), 'http://etherx.jabber.org/streams');
    assert.deepEqual(root.children, []);
  });

  it("a stanza's parent is the root, so it inherits the stream's default namespace", () => {
    const rec = parseStream(STREAM_HEADER + "<message to='a@b'><body>hi</body></message>");
    const [el] = rec.elements;
    assert.ok(el);
    assert.equal(el.parent, rec.root);
    assert.equal(el.getNS(), 'jabber:client');
    assert.equal(el.getChild('body')?.getNS(), 'jabber:client');
    assert.equal(el.getChildText('body'), 'hi');
  });

  it('stanzas do not accumulate as children of the root', () => {
    const rec = parseStream(STREAM_HEADER + '<presence/><presence/><presence/>');
    assert.equal(rec.elements.length, 3);
    assert.deepEqual(rec.root!.children, []);
  });

  it('a prefixed first-level element keeps its prefixed name and resolves the prefix through the root', () => {
    const rec = parseStream(STREAM_HEADER + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
    const [el] = rec.elements;
    assert.equal(el?.name, 'stream:error');
    assert.equal(el?.getNS(), 'http://etherx.jabber.org/streams');
    assert.equal(el?.getChildElements()[0]?.getNS(), 'urn:ietf:params:xml:ns:xmpp-streams');
  });

  it('a nested element with its own default namespace keeps it', () => {
    const rec = parseStream(STREAM_HEADER + "<iq type='get' id='1'><query xmlns='jabber:iq:roster'><item jid='a@b'/></query></iq>");
    const item = rec.elements[0]!.getChild('query', 'jabber:iq:roster')!.getChild('item')!;
    assert.equal(item.getNS(), 'jabber:iq:roster');
    assert.equal(item.parent?.parent, rec.elements[0]);
  });

  it('the root end tag is reported as the stream end', () => {
    const rec = parseStream(STREAM_HEADER + '<presence/></stream:stream>');
    assert.deepEqual(rec.events.map((e) => e.type), ['start', 'element', 'end']);
  });

  it('a self-closing root starts and ends the stream', () => {
    const rec = parseStream("<body xmlns='http://jabber.org/protocol/httpbind' rid='1'/>");
    assert.deepEqual(rec.events.map((e) => e.type), ['start', 'end']);
  });

  it("the stream root may use the 'stream' prefix undeclared (the stream engine answers invalid-namespace)", () => {
    const rec = parseStream("<stream:stream xmlns='jabber:client' to='x'>");
    assert.equal(rec.condition, undefined);
    assert.equal(rec.root?.getNS(), undefined);
  });

  it('any other undeclared prefix on the root is not-well-formed', () => {
    assert.equal(parseStream("<foo:stream xmlns='jabber:client'>").condition, 'not-well-formed');
  });

  it('whitespace between stanzas (keepalives) is ignored', () => {
    const rec = parseStream(STREAM_HEADER + ' \n\t\r\n<presence/>   \n \n<presence/>\n');
    assert.equal(rec.condition, undefined);
    assert.equal(rec.elements.length, 2);
  });

  it('non-whitespace text between stanzas is not-well-formed', () => {
    assert.equal(parseStream(STREAM_HEADER + '<presence/>hello').condition, 'not-well-formed');
    assert.equal(parseStream(STREAM_HEADER + '&amp;').condition, 'not-well-formed');
  });

  it('text before the root is not-well-formed', () => {
    assert.equal(parseStream('hello' + STREAM_HEADER).condition, 'not-well-formed');
  });

  it('content after the root closed is not-well-formed, a second root included', () => {
    assert.equal(parseStream(STREAM_HEADER + '</stream:stream><presence/>').condition, 'not-well-formed');
    assert.equal(parseStream(SHORT_HEADER + '</stream:stream>' + SHORT_HEADER).condition, 'not-well-formed');
    assert.equal(parseStream(STREAM_HEADER + '</stream:stream>x').condition, 'not-well-formed');
    assert.equal(parseStream(STREAM_HEADER + '</stream:stream>\n').condition, undefined);
  });

  it('an end tag before any root is not-well-formed', () => {
    assert.equal(parseStream('</stream:stream>').condition, 'not-well-formed');
  });

  it('the parser reports one error and ignores everything after it', () => {
    const rec = parseStream(STREAM_HEADER + '<!-- x -->');
    rec.parser.write('<presence/>');
    rec.parser.write('<!-- again -->');
    assert.equal(rec.errors.length, 1);
    assert.equal(rec.elements.length, 0);
  });
});

describe('StreamParser: restart (RFC 6120 section 4.3.3)', () => {
  it('after reset() a new stream header is accepted and stanzas flow again', () => {
    const rec = new StreamRecorder();
    rec.parser.write(STREAM_HEADER + '<auth/>');
    rec.parser.reset();
    rec.parser.write(STREAM_HEADER + '<iq/>');
    assert.deepEqual(rec.events.map((e) => e.type), ['start', 'element', 'start', 'element']);
    assert.equal(rec.condition, undefined);
  });

  it('reset() allows an XML declaration again at the start of the new stream', () => {
    const rec = new StreamRecorder();
    rec.parser.write(STREAM_HEADER);
    rec.parser.reset();
    rec.parser.write("<?xml version='1.0'?>" + SHORT_HEADER);
    assert.equal(rec.condition, undefined);
  });

  it('reset() forgets a half-received stanza', () => {
    const rec = new StreamRecorder();
    rec.parser.write(STREAM_HEADER + "<message><body>hal");
    rec.parser.reset();
    rec.parser.write(STREAM_HEADER + '<presence/>');
    assert.equal(rec.condition, undefined);
    assert.deepEqual(rec.elements.map((e) => e.name), ['presence']);
  });

  it('reset() clears a reported error', () => {
    const rec = new StreamRecorder();
    rec.parser.write(STREAM_HEADER + '<!--');
    rec.parser.reset();
    rec.parser.write(STREAM_HEADER + '<presence/>');
    assert.equal(rec.errors.length, 1);
    assert.equal(rec.elements.length, 1);
  });

  it('reset() from a handler drops the rest of the chunk being parsed (no STARTTLS injection)', () => {
    const seen: string[] = [];
    const parser: StreamParser = new StreamParser(
      {
        onStreamStart: (root) => seen.push(`start ${root.name}`),
        onElement: (el) => {
          seen.push(el.attrs.id ?? el.name);
          if (el.name === 'starttls') parser.reset();
        },
        onStreamEnd: () => seen.push('end'),
        onError: (condition) => seen.push(condition),
      },
      { maxStanzaBytes: 10_000, maxDepth: 8 },
    );
    parser.write(STREAM_HEADER + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><iq type='set' id='injected'/>");
    parser.write(STREAM_HEADER + "<iq type='get' id='after-tls'/>");
    assert.deepEqual(seen, ['start stream:stream', 'starttls', 'start stream:stream', 'after-tls']);
  });
});

describe('StreamParser: limits', () => {
  it('a stanza larger than maxStanzaBytes is a policy-violation', () => {
    const limits = { maxStanzaBytes: 100, maxDepth: 8 };
    const body = 'x'.repeat(100);
    assert.equal(parseStream(SHORT_HEADER + `<message><body>${body}</body></message>`, limits).condition, 'policy-violation');
  });

  it('a stanza of exactly maxStanzaBytes bytes is accepted', () => {
    const stanza = `<message><body>${'x'.repeat(150)}</body></message>`;
    const exact = Buffer.byteLength(stanza);
    assert.equal(parseStream(SHORT_HEADER + stanza, { maxStanzaBytes: exact, maxDepth: 8 }).condition, undefined);
    assert.equal(parseStream(SHORT_HEADER + stanza, { maxStanzaBytes: exact - 1, maxDepth: 8 }).condition, 'policy-violation');
  });

  it('the byte limit counts UTF-8 bytes, not characters', () => {
    const stanza = `<message><body>${'é'.repeat(40)}</body></message>`;
    const chars = stanza.length;
    assert.equal(parseStream(SHORT_HEADER + stanza, { maxStanzaBytes: chars, maxDepth: 8 }).condition, 'policy-violation');
    assert.equal(parseStream(SHORT_HEADER + stanza, { maxStanzaBytes: chars + 40, maxDepth: 8 }).condition, undefined);
  });

  it('the byte limit applies to each stanza separately, not to the stream', () => {
    const stanza = `<message><body>${'x'.repeat(60)}</body></message>`;
    const rec = parseStream(SHORT_HEADER + stanza.repeat(50), { maxStanzaBytes: 100, maxDepth: 8 });
    assert.equal(rec.condition, undefined);
    assert.equal(rec.elements.length, 50);
  });

  it('an endless attribute value is refused as soon as the stanza passes the limit, without buffering it', () => {
    const rec = new StreamRecorder({ maxStanzaBytes: 64 * 1024, maxDepth: 8 });
    rec.parser.write(SHORT_HEADER + "<message id='");
    const chunk = Buffer.alloc(16 * 1024, 'a');
    let written = 0;
    while (rec.errors.length === 0 && written < 10 * 1024 * 1024) {
      rec.parser.write(chunk);
      written += chunk.length;
    }
    assert.equal(rec.condition, 'policy-violation');
    assert.ok(written <= 64 * 1024 + chunk.length, `refused only after ${written} bytes`);
  });

  it('an endless text node is refused as soon as the stanza passes the limit', () => {
    const rec = new StreamRecorder({ maxStanzaBytes: 10_000, maxDepth: 8 });
    rec.parser.write(SHORT_HEADER + '<message><body>');
    let written = 0;
    while (rec.errors.length === 0 && written < 1_000_000) {
      rec.parser.write('y'.repeat(1000));
      written += 1000;
    }
    assert.equal(rec.condition, 'policy-violation');
    assert.ok(written <= 11_000);
  });

  it('an oversized stream header is a policy-violation', () => {
    const header = `<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='${'x'.repeat(2000)}'>`;
    assert.equal(parseStream(header, { maxStanzaBytes: 1000, maxDepth: 8 }).condition, 'policy-violation');
  });

  it('whitespace keepalives never count against the stanza limit', () => {
    const rec = new StreamRecorder({ maxStanzaBytes: 100, maxDepth: 8 });
    rec.parser.write(SHORT_HEADER);
    for (let i = 0; i < 100; i++) rec.parser.write(' '.repeat(100));
    rec.parser.write('<presence/>');
    assert.equal(rec.condition, undefined);
    assert.equal(rec.elements.length, 1);
  });

  it('nesting deeper than maxDepth below the root is a policy-violation', () => {
    const nested = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    assert.equal(parseStream(SHORT_HEADER + nested(3), { maxStanzaBytes: 10_000, maxDepth: 3 }).condition, undefined);
    assert.equal(parseStream(SHORT_HEADER + nested(4), { maxStanzaBytes: 10_000, maxDepth: 3 }).condition, 'policy-violation');
  });

  it('a deeply nested hostile stanza is refused at the depth limit, not after building it', () => {
    const rec = parseStream(SHORT_HEADER + '<a>'.repeat(100_000), { maxStanzaBytes: 1 << 20, maxDepth: 32 });
    assert.equal(rec.condition, 'policy-violation');
  });

  it('maxAttributes can be lowered', () => {
    const limits = { maxStanzaBytes: 10_000, maxDepth: 8, maxAttributes: 2 };
    assert.equal(parseStream(SHORT_HEADER + "<iq a='1' b='2'/>", limits).condition, undefined);
    assert.equal(parseStream(SHORT_HEADER + "<iq a='1' b='2' c='3'/>", limits).condition, 'policy-violation');
  });

  it('maxNameLength can be lowered', () => {
    const limits = { maxStanzaBytes: 10_000, maxDepth: 8, maxNameLength: 13 };
    assert.equal(parseStream(SHORT_HEADER + '<presence/>', limits).condition, undefined);
    assert.equal(parseStream(SHORT_HEADER + '<presence-longer/>', limits).condition, 'policy-violation');
    assert.equal(parseStream(SHORT_HEADER + "<presence attribute-longer='1'/>", limits).condition, 'policy-violation');
  });
});

describe('StreamParser: UTF-8 input (RFC 6120 section 11.6)', () => {
  it('a multi-byte character split across writes is decoded whole', () => {
    const bytes = Buffer.from(STREAM_HEADER + '<message><body>h\u00e9\u20ac\u{1F600}</body></message>');
    const rec = new StreamRecorder();
    for (let i = 0; i < bytes.length; i++) rec.parser.write(bytes.subarray(i, i + 1));
    assert.equal(rec.condition, undefined);
    assert.equal(rec.elements[0]?.getChildText('body'), 'h\u00e9\u20ac\u{1F600}');
  });

  it('a surrogate pair split across string writes is joined', () => {
    const rec = new StreamRecorder();
    rec.parser.write(STREAM_HEADER + '<message><body>\ud83d');
    rec.parser.write('\ude00</body></message>');
    assert.equal(rec.condition, undefined);
    assert.equal(rec.elements[0]?.getChildText('body'), '\u{1F600}');
  });

  it('stanzas before an invalid byte are delivered, then not-well-formed', () => {
    const rec = new StreamRecorder();
    rec.parser.write(Buffer.concat([Buffer.from(STREAM_HEADER + '<presence/><message>'), Buffer.from([0xc3, 0x28])]));
    assert.deepEqual(rec.events.map((e) => e.type), ['start', 'element', 'error']);
    assert.equal(rec.condition, 'not-well-formed');
  });

  it('a leading byte order mark is skipped', () => {
    const rec = parseStream(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(STREAM_HEADER)]));
    assert.equal(rec.condition, undefined);
    assert.equal(rec.root?.name, 'stream:stream');
  });
});
