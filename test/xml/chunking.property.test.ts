// RFC 6120 section 4 / 11: a TCP stream may be cut anywhere (inside a tag, an attribute value, a
// reference, a CDATA section, a multi-byte UTF-8 character or a surrogate pair). Property: feeding the
// same input in random chunks reports exactly what feeding it in one piece reports: the same elements,
// the same error condition and text, and nothing more.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Attributes } from '../../src/xml/element.js';
import type { StreamParserLimits } from '../../src/xml/stream-parser.js';
import { XmlTokenizer, type TokenizerSink } from '../../src/xml/tokenizer.js';
import { StreamRecorder, STREAM_HEADER, type StreamEvent } from './stream-recorder.js';

const STANZAS = [
  "<message to='juliet@example.com/balcony' from='romeo@example.net/orchard' type='chat' id='m1' xml:lang='en'>" +
    '<body>Art thou not Romeo, &amp; a Montague?</body><thread>e0ffe42b28561960c6b12b944a092794</thread></message>',
  "<presence from='a@b/c'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://example.org' " +
    "ver='QgayPKawpkPSDYmwT/WM94uAlu0='/><status>\u00c7a va? \u65e5\u672c\u8a9e \u{1F600}\u{1F680}</status></presence>",
  "<iq type='result' id='r1'><query xmlns='jabber:iq:roster' ver='ver7'><item jid='nurse@example.com' name='Nurse' " +
    "subscription='both'><group>Servants</group></item></query></iq>",
  "<message from='pubsub.example.com'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='cal'><item id='e1'>" +
    "<entry xmlns='http://www.w3.org/2005/Atom'><title type=\"text\">Meeting &lt;weekly&gt;</title>" +
    '<content><![CDATA[{"a":[1,2,[3]],"b":"]]","c":"\r\n"}]]></content></entry></item></items></event></message>',
  "<iq type='get' id='d1'>\r\n  <query xmlns='http://jabber.org/protocol/disco#info'/>\r\n</iq>",
  '<message><body>line1\r\nline2\rline3 &#x1F600;&#233;&#10; ]] ] &quot;q&quot; &apos;</body></message>',
  "<foo:bar xmlns:foo='urn:foo' foo:attr=\"v\ta&#10;l\r\nx\"><foo:baz/></foo:bar>",
  "<r\u00e9sum\u00e9 xmlns='urn:x' \u00e9t\u00e9='\u00e9\u{1F600}'/>",
];

const VALID_STREAM = STREAM_HEADER + '\n' + STANZAS.join(' \n\t') + '\r\n</stream:stream>';

const HOSTILE_SNIPPETS = [
  '<!DOCTYPE x>',
  '<!ENTITY lol "lol">',
  '<message><!-- comment --></message>',
  '<message><?pi data?></message>',
  '<message><body>&undefined;</body></message>',
  '<message><body></message>',
  "<message to='a' to='b'/>",
  '<message><body>\u0000</body></message>',
  "<message to='a<b'/>",
  `<message id='${'h'.repeat(3000)}'/>`,
  '<message><body>]]></body></message>',
  '<message><body>&#xD800;</body></message>',
  '<message><body>&#x110000;</body></message>',
  '<message><body>a & b</body></message>',
  `<message><body>&${'n'.repeat(80)};</body></message>`,
  'stray text',
  '<a><b><c><d><e><f><g><h></h></g></f></e></d></c></b></a>',
  `<message><body>${'long text '.repeat(300)}&bogus;</body></message>`,
  `<message><body>${'long text '.repeat(300)}\u0001</body></message>`,
  `<message ${Array.from({ length: 70 }, (_, i) => `a${i}='${i}'`).join(' ')}/>`,
  "<undeclared:x/>",
  '</stream:stream><presence/>',
];

const INPUTS: Buffer[] = [
  Buffer.from(VALID_STREAM),
  ...HOSTILE_SNIPPETS.map((h) => Buffer.from(STREAM_HEADER + STANZAS.slice(0, 3).join('') + h + STANZAS.slice(3).join(''))),
  Buffer.concat([Buffer.from(STREAM_HEADER + STANZAS[0] + '<message><body>caf'), Buffer.from([0xc3, 0x28]), Buffer.from('</body></message>')]),
  Buffer.concat([Buffer.from(STREAM_HEADER + '<message><body>\u20ac'), Buffer.from([0xe2, 0x82]), Buffer.from('</body></message>')]),
];

const limitsArb: fc.Arbitrary<StreamParserLimits> = fc.record({
  maxStanzaBytes: fc.oneof(fc.constant(1 << 20), fc.integer({ min: 150, max: 3000 })),
  maxDepth: fc.integer({ min: 1, max: 8 }),
});

function cutPoints(length: number, raw: number[]): number[] {
  return [...new Set(raw.map((r) => r % (length + 1)))].sort((a, b) => a - b);
}

function feed(input: Buffer | string, cuts: number[], limits: StreamParserLimits): StreamEvent[] {
  const rec = new StreamRecorder(limits);
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    rec.parser.write(typeof input === 'string' ? input.slice(from, cut) : input.subarray(from, cut));
    from = cut;
  }
  return rec.events;
}

const runs = { numRuns: 300 };

describe('chunking does not change what the stream parser reports', () => {
  it('a byte stream cut at random points gives the same events as one write', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INPUTS), fc.array(fc.nat(), { maxLength: 40 }), limitsArb, (input, raw, limits) => {
        assert.deepEqual(feed(input, cutPoints(input.length, raw), limits), feed(input, [], limits));
      }),
      runs,
    );
  });

  it('a byte stream fed one byte at a time gives the same events as one write', () => {
    for (const input of INPUTS) {
      const limits = { maxStanzaBytes: 2000, maxDepth: 6 };
      const everyByte = Array.from({ length: input.length }, (_, i) => i);
      assert.deepEqual(feed(input, everyByte, limits), feed(input, [], limits));
    }
  });

  it('a string stream cut at random code units (splitting surrogate pairs) gives the same events as one write', () => {
    const strings = INPUTS.slice(0, -2).map((b) => b.toString('utf8'));
    fc.assert(
      fc.property(fc.constantFrom(...strings), fc.array(fc.nat(), { maxLength: 40 }), limitsArb, (input, raw, limits) => {
        const whole = feed(input, [], limits);
        assert.deepEqual(feed(input, cutPoints(input.length, raw), limits), whole);
        assert.deepEqual(feed(Buffer.from(input), [], limits), whole, 'text and bytes agree');
      }),
      runs,
    );
  });

  it('a randomly corrupted stream cut at random points gives the same events as one write', () => {
    const alphabet = ['<', '>', '&', ';', ']', ']]>', "'", '"', '/', '!', '?', '-', '=', ' ', '\r', '\n', '\u0000', '\u00e9', '\u{1F600}', '#', 'x', ':', '<![CDATA[', '&#', '</'];
    const corruption = fc.record({
      at: fc.nat(),
      remove: fc.integer({ min: 0, max: 4 }),
      insert: fc.array(fc.constantFrom(...alphabet), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(corruption, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 40 }), limitsArb, (edits, raw, limits) => {
        let text = VALID_STREAM;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert.join('') + text.slice(at + e.remove);
        }
        const bytes = Buffer.from(text);
        assert.deepEqual(feed(bytes, cutPoints(bytes.length, raw), limits), feed(bytes, [], limits));
        assert.deepEqual(feed(text, cutPoints(text.length, raw), limits), feed(text, [], limits));
      }),
      { numRuns: 500 },
    );
  });
});

/** Document mode (unitDepth 1, then end()): the tokenizer events, adjacent text pieces merged. */
function tokenizeDocument(input: string, cuts: number[], maxUnitBytes: number): string[] {
  const log: string[] = [];
  const sink: TokenizerSink = {
    startElement: (name: string, attrs: Attributes, depth: number) => log.push(`<${depth} ${name} ${JSON.stringify(attrs)}`),
    endElement: (name: string, depth: number) => log.push(`>${depth} ${name}`),
    text: (text: string) => {
      if (log.length > 0 && log[log.length - 1]!.startsWith('T')) log[log.length - 1] += text;
      else log.push('T' + text);
    },
    error: (condition: string, message: string) => log.push(`! ${condition} ${message}`),
  };
  const tokenizer = new XmlTokenizer(sink, { unitDepth: 1, maxUnitBytes, maxDepth: 10, maxAttributes: 64, maxNameLength: 256 });
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    tokenizer.write(input.slice(from, cut));
    from = cut;
  }
  tokenizer.end();
  // Text is delivered as it arrives, so how much of an element's text came before an error depends on
  // the chunks; the element itself never completes, so that text is dropped from the comparison.
  if (log.length > 0 && log[log.length - 1]!.startsWith('!')) {
    while (log.length > 1 && log[log.length - 2]!.startsWith('T')) log.splice(log.length - 2, 1);
  }
  return log;
}

describe('chunking does not change what a document tokenizes to', () => {
  it('a document cut at random points, then ended, gives the same events as one write', () => {
    const docs = [
      "<?xml version='1.0' encoding='UTF-8'?>\n<body xmlns='http://jabber.org/protocol/httpbind' rid='1'>" + STANZAS.join('') + '</body>\r\n',
      "<?xml version='1.0'?>" + STANZAS[3],
      STANZAS[5]! + '\r',
      '<a>unfinished &amp',
      '<a>]]',
      "<a b='unfinished",
      '<a><![CDATA[unfinished]]',
      "<?xml version='1.0'",
      '<a/>trailing',
      ' <a/> ',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...docs), fc.array(fc.nat(), { maxLength: 30 }), fc.integer({ min: 20, max: 3000 }), (doc, raw, max) => {
        assert.deepEqual(tokenizeDocument(doc, cutPoints(doc.length, raw), max), tokenizeDocument(doc, [], max));
      }),
      runs,
    );
  });
});
