// RFC 6120 section 11.1 (restricted XML) and 4.9.3.13 / 4.9.3.18: each hostile input gets its condition,
// the same way in a document (parseDocument) and inside a stanza on a stream (StreamParser).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../src/xml/parse-document.js';
import { XmlParseError } from '../../src/xml/xml-error.js';
import { parseStream, STREAM_HEADER } from './stream-recorder.js';

function documentCondition(input: string | Uint8Array): string {
  try {
    parseDocument(input);
    return 'accepted';
  } catch (err) {
    assert.ok(err instanceof XmlParseError, `unexpected ${String(err)}`);
    return err.condition;
  }
}

/** The condition a stream reports when `stanza` follows a correct stream header. */
function streamCondition(stanza: string | Buffer): string {
  const input = typeof stanza === 'string' ? STREAM_HEADER + stanza : Buffer.concat([Buffer.from(STREAM_HEADER), stanza]);
  return parseStream(input).condition ?? 'accepted';
}

function assertBoth(stanza: string, condition: string): void {
  assert.equal(documentCondition(stanza), condition, 'as a document');
  assert.equal(streamCondition(stanza), condition, 'inside a stream');
}

describe('restricted XML (RFC 6120 section 11.1)', () => {
  it('a DOCTYPE before the root is restricted-xml', () => {
    assert.equal(documentCondition('<!DOCTYPE message><message/>'), 'restricted-xml');
    assert.equal(parseStream("<!DOCTYPE stream:stream><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>").condition, 'restricted-xml');
  });

  it('an internal DTD subset with entity declarations (billion laughs) is restricted-xml', () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol1;</lolz>';
    assert.equal(documentCondition(lol), 'restricted-xml');
  });

  it('an entity declaration inside the stream is restricted-xml', () => {
    assert.equal(streamCondition('<!ENTITY lol "lol"><message>&lol;</message>'), 'restricted-xml');
  });

  it('a comment is restricted-xml, inside a stanza, between stanzas and before the root', () => {
    assertBoth('<message><!-- hello --></message>', 'restricted-xml');
    assert.equal(streamCondition('<!-- keepalive -->'), 'restricted-xml');
    assert.equal(documentCondition('<!-- x --><a/>'), 'restricted-xml');
  });

  it('a processing instruction is restricted-xml', () => {
    assertBoth('<message><?php echo 1; ?></message>', 'restricted-xml');
    assert.equal(documentCondition('<?xml-stylesheet href="a.xsl"?><a/>'), 'restricted-xml');
  });

  it('an XML declaration anywhere but the very start is restricted-xml', () => {
    assert.equal(documentCondition(" <?xml version='1.0'?><a/>"), 'restricted-xml');
    assert.equal(streamCondition("<?xml version='1.0'?>"), 'restricted-xml');
    assert.equal(documentCondition("<?xml version='1.0'?><?xml version='1.0'?><a/>"), 'restricted-xml');
  });

  it('an entity reference other than the five predefined ones is restricted-xml', () => {
    assertBoth('<message><body>&nbsp;</body></message>', 'restricted-xml');
    assertBoth("<message id='&copy;'/>", 'restricted-xml');
  });

  it('the five predefined entities and character references to legal characters are decoded', () => {
    const el = parseDocument("<a t='&lt;&gt;&amp;&quot;&apos;&#65;&#x42;'>&lt;&gt;&amp;&quot;&apos;&#x1F600;&#233;</a>");
    assert.equal(el.attrs.t, `<>&"'AB`);
    assert.equal(el.text(), `<>&"'\u{1F600}\u00e9`);
  });

  it('a character reference to an illegal character is not-well-formed', () => {
    for (const ref of ['&#0;', '&#x0;', '&#8;', '&#xFFFE;', '&#xFFFF;', '&#xD800;', '&#xDFFF;', '&#x110000;', '&#99999999999;']) {
      assertBoth(`<message><body>${ref}</body></message>`, 'not-well-formed');
    }
  });

  it('a malformed reference or a bare ampersand is not-well-formed', () => {
    for (const text of ['&;', '& x', 'a & b', '&#;', '&#x;', '&#12a;', '&#xZZ;', '&amp', `&${'a'.repeat(100)};`]) {
      assertBoth(`<message><body>${text}</body></message>`, 'not-well-formed');
    }
    assertBoth("<message id='a&b'/>", 'not-well-formed');
  });
});

describe('well-formedness (RFC 6120 section 11.3)', () => {
  it('a mismatched end tag is not-well-formed', () => {
    assertBoth('<message><body></message></body>', 'not-well-formed');
    assert.equal(streamCondition('<message></stream:stream>'), 'not-well-formed');
  });

  it('a duplicate attribute is not-well-formed', () => {
    assertBoth("<message to='a' to='b'/>", 'not-well-formed');
  });

  it('two attributes with the same namespace and local name are not-well-formed', () => {
    assertBoth("<message xmlns:a='urn:x' xmlns:b='urn:x' a:id='1' b:id='2'/>", 'not-well-formed');
  });

  it("an unescaped '<' in an attribute value is not-well-formed", () => {
    assertBoth("<message to='a<b'/>", 'not-well-formed');
  });

  it("']]>' in text is not-well-formed", () => {
    assertBoth('<message><body>a]]>b</body></message>', 'not-well-formed');
  });

  it('illegal XML characters are not-well-formed, in text and in attribute values', () => {
    for (const ch of ['\u0000', '\u0001', '\u000b', '\u001f', '\ufffe', '\uffff']) {
      assertBoth(`<message><body>a${ch}b</body></message>`, 'not-well-formed');
      assertBoth(`<message id='a${ch}b'/>`, 'not-well-formed');
    }
  });

  it('lone surrogates in text input are not-well-formed', () => {
    assertBoth('<message><body>a\ud800b</body></message>', 'not-well-formed');
    assertBoth('<message><body>a\udc00b</body></message>', 'not-well-formed');
    assertBoth("<message id='\udc00\ud800'/>", 'not-well-formed');
  });

  it('invalid UTF-8 bytes are not-well-formed', () => {
    const cases = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82, 0x41], [0xf4, 0x90, 0x80, 0x80], [0x80]];
    for (const bytes of cases) {
      const stanza = Buffer.concat([Buffer.from('<message><body>'), Buffer.from(bytes), Buffer.from('</body></message>')]);
      assert.equal(documentCondition(stanza), 'not-well-formed', `document ${bytes}`);
      assert.equal(streamCondition(stanza), 'not-well-formed', `stream ${bytes}`);
    }
  });

  it('an unquoted attribute value or an attribute without value is not-well-formed', () => {
    assertBoth('<message to=a/>', 'not-well-formed');
    assertBoth('<message to/>', 'not-well-formed');
    assertBoth("<message to='a'type='b'/>", 'not-well-formed');
  });

  it('an invalid element or attribute name is not-well-formed', () => {
    assertBoth('<1message/>', 'not-well-formed');
    assertBoth("<message 1to='a'/>", 'not-well-formed');
    assertBoth('< message/>', 'not-well-formed');
    assertBoth('<a:b:c/>', 'not-well-formed');
  });

  it('an undeclared namespace prefix is not-well-formed', () => {
    assertBoth('<foo:bar/>', 'not-well-formed');
    assertBoth("<message foo:id='1'/>", 'not-well-formed');
    assert.equal(streamCondition("<foo:bar xmlns:foo='urn:foo'/>"), 'accepted');
  });

  it('declaring the reserved xmlns prefix or an empty prefixed namespace is not-well-formed', () => {
    assertBoth("<message xmlns:xmlns='urn:x'/>", 'not-well-formed');
    assertBoth("<message xmlns:p=''/>", 'not-well-formed');
    assertBoth("<message xmlns:xml='urn:not-xml'/>", 'not-well-formed');
  });

  it('an unsupported encoding in the XML declaration is refused (UTF-8 only, section 11.6)', () => {
    assert.equal(documentCondition("<?xml version='1.0' encoding='ISO-8859-1'?><a/>"), 'not-well-formed');
    assert.equal(documentCondition("<?xml version='1.0' encoding='utf-8'?><a/>"), 'accepted');
  });

  it('a malformed XML declaration is not-well-formed', () => {
    assert.equal(documentCondition("<?xml encoding='UTF-8'?><a/>"), 'not-well-formed');
    assert.equal(documentCondition("<?xml version='1.0' standalone='maybe'?><a/>"), 'not-well-formed');
  });

  it("a '<' that starts no tag is not-well-formed", () => {
    assertBoth('<message><body>1 < 2</body></message>', 'not-well-formed');
    assertBoth('<message><![foo[x]]></message>', 'not-well-formed');
  });

  it('a CDATA section is allowed inside an element and kept as text', () => {
    const el = parseDocument('<a><![CDATA[<b>&amp;]]]]><![CDATA[>]]></a>');
    assert.equal(el.text(), '<b>&amp;]]>');
    assert.equal(el.children.length, 1);
  });

  it('a CDATA section outside any element is not-well-formed', () => {
    assert.equal(documentCondition('<![CDATA[x]]><a/>'), 'not-well-formed');
    assert.equal(streamCondition('<![CDATA[x]]>'), 'not-well-formed');
  });
});

describe('resource limits', () => {
  it('a huge attribute value is a policy-violation', () => {
    const huge = `<message id='${'x'.repeat(300_000)}'/>`;
    assert.equal(parseStream(STREAM_HEADER + huge, { maxStanzaBytes: 65536, maxDepth: 16 }).condition, 'policy-violation');
    assert.throws(() => parseDocument(huge, { maxStanzaBytes: 65536 }), { condition: 'policy-violation' });
  });

  it('too many attributes on one element is a policy-violation', () => {
    const attrs = Array.from({ length: 65 }, (_, i) => `a${i}='1'`).join(' ');
    assertBoth(`<message ${attrs}/>`, 'policy-violation');
    assert.equal(documentCondition(`<message ${Array.from({ length: 64 }, (_, i) => `a${i}='1'`).join(' ')}/>`), 'accepted');
  });

  it('an element name longer than the limit is a policy-violation', () => {
    assertBoth(`<${'m'.repeat(257)}/>`, 'policy-violation');
    assertBoth(`<message ${'a'.repeat(257)}='1'/>`, 'policy-violation');
  });
});
