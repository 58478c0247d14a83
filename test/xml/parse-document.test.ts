// parseDocument: one complete element per input, as a WebSocket frame (RFC 7395 section 3.3.3) or a
// BOSH body (XEP-0124 section 4) arrives; XML declaration at the start and surrounding whitespace allowed.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, XmlParseError } from '../../src/xml/parse-document.js';

function conditionOf(input: string | Uint8Array, limits?: Parameters<typeof parseDocument>[1]): string {
  try {
    parseDocument(input, limits);
    return 'accepted';
  } catch (err) {
    assert.ok(err instanceof XmlParseError);
    return err.condition;
  }
}

describe('parseDocument', () => {
  it('returns the element with attributes, children and text', () => {
    const el = parseDocument("<iq type='get' id='1'><query xmlns='jabber:iq:roster'/><x>t</x></iq>");
    assert.equal(el.name, 'iq');
    assert.deepEqual(el.attrs, { type: 'get', id: '1' });
    assert.equal(el.getChild('query', 'jabber:iq:roster')?.name, 'query');
    assert.equal(el.getChildText('x'), 't');
  });

  it("the root's parent is null and nested elements' parents are set", () => {
    const el = parseDocument('<a><b><c/></b></a>');
    assert.equal(el.parent, null);
    const b = el.getChild('b')!;
    assert.equal(b.parent, el);
    assert.equal(b.getChild('c')!.parent, b);
  });

  it('nested elements inherit namespaces through their parents', () => {
    const el = parseDocument("<body xmlns='http://jabber.org/protocol/httpbind'><message xmlns='jabber:client'><body>x</body></message></body>");
    assert.equal(el.getNS(), 'http://jabber.org/protocol/httpbind');
    const inner = el.getChild('message')!.getChild('body')!;
    assert.equal(inner.getNS(), 'jabber:client');
  });

  it('a leading XML declaration and surrounding whitespace are allowed', () => {
    assert.equal(parseDocument("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n <open/>\r\n").name, 'open');
    assert.equal(parseDocument('<?xml version="1.0"?><open/>').name, 'open');
  });

  it('accepts bytes and decodes them as UTF-8', () => {
    const el = parseDocument(Buffer.from('<m>caf\u00e9 \u{1F600}</m>'));
    assert.equal(el.text(), 'caf\u00e9 \u{1F600}');
  });

  it('adjacent text, references and CDATA form one text node', () => {
    const el = parseDocument('<m>a&amp;b<![CDATA[c]]>d</m>');
    assert.deepEqual(el.children, ['a&bcd']);
  });

  it('mixed content keeps text and elements in order', () => {
    const el = parseDocument('<p>one <b>two</b> three</p>');
    assert.equal(el.children.length, 3);
    assert.equal(el.children[0], 'one ');
    assert.equal(el.children[2], ' three');
  });

  it('line ends in text are normalised to LF (XML 1.0 section 2.11)', () => {
    assert.equal(parseDocument('<m>a\r\nb\rc\nd</m>').text(), 'a\nb\nc\nd');
    assert.equal(parseDocument('<m><![CDATA[a\r\nb\rc]]></m>').text(), 'a\nb\nc');
  });

  it('whitespace in attribute values is normalised to spaces, character references are kept (section 3.3.3)', () => {
    const el = parseDocument("<m a='x\ty\nz\r\nw' b='&#9;&#10;&#13;'/>");
    assert.equal(el.attrs.a, 'x y z w');
    assert.equal(el.attrs.b, '\t\n\r');
  });

  it('both quote styles delimit attribute values, and may contain the other quote', () => {
    const el = parseDocument(`<m a="it's" b='say "hi"'/>`);
    assert.equal(el.attrs.a, "it's");
    assert.equal(el.attrs.b, 'say "hi"');
  });

  it('prefixed element and attribute names are kept as written', () => {
    const el = parseDocument("<s:x xmlns:s='urn:s' xml:lang='en' s:a='1'/>");
    assert.equal(el.name, 's:x');
    assert.equal(el.getNS(), 'urn:s');
    assert.equal(el.attrs['xml:lang'], 'en');
    assert.equal(el.attrs['s:a'], '1');
  });

  it('non-ASCII names are accepted', () => {
    const el = parseDocument("<r\u00e9sum\u00e9 \u65e5\u672c='1'/>");
    assert.equal(el.name, 'r\u00e9sum\u00e9');
    assert.equal(el.attrs['\u65e5\u672c'], '1');
  });

  it('an attribute named like an Object.prototype member is an ordinary attribute', () => {
    const el = parseDocument("<m constructor='1' __proto__='2' toString='3'/>");
    assert.equal(el.attrs.constructor, '1');
    assert.equal(Object.getOwnPropertyDescriptor(el.attrs, '__proto__')?.value, '2');
    assert.equal(Object.getPrototypeOf(el.attrs), Object.prototype);
  });

  it('an empty or whitespace-only input is not-well-formed', () => {
    assert.equal(conditionOf(''), 'not-well-formed');
    assert.equal(conditionOf('  \n'), 'not-well-formed');
  });

  it('an unfinished element is not-well-formed', () => {
    for (const input of ['<a>', '<a><b/>', '<a', "<a b='", '<a>text', '<a>&amp', '<a><![CDATA[x', '<', "<?xml version='1.0'"]) {
      assert.equal(conditionOf(input), 'not-well-formed', JSON.stringify(input));
    }
  });

  it('a second element or text after the element is not-well-formed', () => {
    assert.equal(conditionOf('<a/><b/>'), 'not-well-formed');
    assert.equal(conditionOf('<a/>x'), 'not-well-formed');
    assert.equal(conditionOf('x<a/>'), 'not-well-formed');
  });

  it('invalid UTF-8 bytes are not-well-formed', () => {
    assert.equal(conditionOf(new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e])), 'not-well-formed');
  });

  it('maxStanzaBytes bounds the element, tags included', () => {
    const doc = '<a>' + 'x'.repeat(10) + '</a>';
    assert.equal(conditionOf(doc, { maxStanzaBytes: doc.length }), 'accepted');
    assert.equal(conditionOf(doc, { maxStanzaBytes: doc.length - 1 }), 'policy-violation');
  });

  it('maxStanzaBytes does not count the XML declaration or surrounding whitespace', () => {
    assert.equal(conditionOf("<?xml version='1.0'?>  <a/>  ", { maxStanzaBytes: 4 }), 'accepted');
  });

  it('maxDepth counts the element itself as depth 1', () => {
    assert.equal(conditionOf('<a><b/></a>', { maxDepth: 2 }), 'accepted');
    assert.equal(conditionOf('<a><b><c/></b></a>', { maxDepth: 2 }), 'policy-violation');
  });

  it('the error is an Error of class XmlParseError with its condition and a message', () => {
    assert.throws(
      () => parseDocument('<a><!-- x --></a>'),
      (err: unknown) => err instanceof Error && err instanceof XmlParseError && err.condition === 'restricted-xml' && /comment/.test(err.message),
    );
  });
});
