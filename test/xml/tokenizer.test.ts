// XmlTokenizer events (XML 1.0 sections 2.4, 2.7, 2.8, 3.1) and its unit and depth rules, below the
// stream parser: what a sink sees, at which depth, and that nothing follows an error.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../../src/xml/element.js';
import { XmlTokenizer, type TokenizerOptions } from '../../src/xml/tokenizer.js';

function tokenize(chunks: string[], options: Partial<TokenizerOptions> = {}, end = false): { log: string[]; tokenizer: XmlTokenizer } {
  const log: string[] = [];
  const tokenizer = new XmlTokenizer(
    {
      startElement: (name: string, attrs: Attributes, depth: number) => log.push(`start ${depth} ${name} ${JSON.stringify(attrs)}`),
      endElement: (name: string, depth: number) => log.push(`end ${depth} ${name}`),
      text: (text: string, depth: number) => log.push(`text ${depth} ${JSON.stringify(text)}`),
      error: (condition: string) => log.push(`error ${condition}`),
    },
    { unitDepth: 1, maxUnitBytes: 1 << 20, maxDepth: 16, maxAttributes: 64, maxNameLength: 256, ...options },
  );
  for (const chunk of chunks) tokenizer.write(chunk);
  if (end) tokenizer.end();
  return { log, tokenizer };
}

describe('XmlTokenizer', () => {
  it('reports start and end tags with their depth, the root at depth 1', () => {
    const { log } = tokenize(["<a x='1'><b>t</b></a>"]);
    assert.deepEqual(log, ['start 1 a {"x":"1"}', 'start 2 b {}', 'text 2 "t"', 'end 2 b', 'end 1 a']);
  });

  it('an empty-element tag is a start immediately followed by an end', () => {
    assert.deepEqual(tokenize(['<a><b/></a>']).log, ['start 1 a {}', 'start 2 b {}', 'end 2 b', 'end 1 a']);
  });

  it('whitespace is allowed inside tags around = and before > and />', () => {
    const { log } = tokenize(["<a \n x \t= \r\n '1'  ><b\n/></a\t>"]);
    assert.deepEqual(log, ['start 1 a {"x":"1"}', 'start 2 b {}', 'end 2 b', 'end 1 a']);
  });

  it('text arriving in chunks is delivered in pieces as it arrives', () => {
    const { log } = tokenize(['<a>hel', 'lo</a>']);
    assert.deepEqual(log, ['start 1 a {}', 'text 1 "hel"', 'text 1 "lo"', 'end 1 a']);
  });

  it('a reference cut by a chunk boundary is held back until complete', () => {
    const { log } = tokenize(['<a>x&am', 'p;y</a>']);
    assert.deepEqual(log, ['start 1 a {}', 'text 1 "x"', 'text 1 "&y"', 'end 1 a']);
  });

  it('a CR at the end of a chunk waits for a possible LF', () => {
    const { log } = tokenize(['<a>x\r', '\ny</a>']);
    assert.deepEqual(log.filter((l) => l.startsWith('text')).map((l) => JSON.parse(l.slice(7))).join(''), 'x\ny');
  });

  it('with unitDepth 2, only whitespace may appear directly inside the root and it is not reported', () => {
    const { log } = tokenize(['<s>\n  <m>x</m>\n</s>'], { unitDepth: 2 });
    assert.deepEqual(log, ['start 1 s {}', 'start 2 m {}', 'text 2 "x"', 'end 2 m', 'end 1 s']);
    assert.deepEqual(tokenize(['<s>x'], { unitDepth: 2 }).log, ['start 1 s {}', 'error not-well-formed']);
  });

  it('with unitDepth 2 each first-level element has its own byte budget', () => {
    const { log } = tokenize(['<s>', '<m>1234</m>'.repeat(5), '<m>12345</m>'], { unitDepth: 2, maxUnitBytes: 11 });
    assert.equal(log.filter((l) => l === 'end 2 m').length, 5);
    assert.equal(log.at(-1), 'error policy-violation');
  });

  it('reports one error, then ignores further input', () => {
    const { log, tokenizer } = tokenize(['<a><!-- x -->']);
    tokenizer.write('<b/></a>');
    assert.deepEqual(log, ['start 1 a {}', 'error restricted-xml']);
  });

  it('reset() starts over, including the XML declaration rule', () => {
    const { log, tokenizer } = tokenize(["<?xml version='1.0'?><a>"]);
    tokenizer.reset();
    tokenizer.write("<?xml version='1.0'?><b/>");
    assert.deepEqual(log, ['start 1 a {}', 'start 1 b {}', 'end 1 b']);
  });

  it('end() reports an unfinished document as not-well-formed', () => {
    assert.deepEqual(tokenize(['<a>'], {}, true).log, ['start 1 a {}', 'error not-well-formed']);
    assert.deepEqual(tokenize(['<a/>'], {}, true).log, ['start 1 a {}', 'end 1 a']);
  });

  it('the XML declaration may be split across chunks', () => {
    assert.deepEqual(tokenize(['<', '?x', 'ml vers', "ion='1.0'", '?', '><a/>']).log, ['start 1 a {}', 'end 1 a']);
  });

  it('a tag split into many chunks is parsed once it is complete', () => {
    const tag = "<message to='juliet@example.com' type=\"chat\" id='a>b'>";
    const { log } = tokenize([...tag.split(''), '</message>']);
    assert.deepEqual(log, ['start 1 message {"to":"juliet@example.com","type":"chat","id":"a>b"}', 'end 1 message']);
  });

  it('depth beyond maxDepth is a policy-violation', () => {
    assert.deepEqual(tokenize(['<a><b><c>'], { maxDepth: 2 }).log, ['start 1 a {}', 'start 2 b {}', 'error policy-violation']);
  });

  it('a tag that crosses the byte limit is a policy-violation even if it is also malformed', () => {
    const { log } = tokenize(["<a x='1' x='2' y='" + 'z'.repeat(100) + "'/>"], { maxUnitBytes: 50 });
    assert.deepEqual(log, ['error policy-violation']);
    assert.deepEqual(tokenize(["<a x='1' x='2'/>"], { maxUnitBytes: 50 }).log, ['error not-well-formed']);
  });

  it('an error in text before the byte limit is reported as itself, one after it as policy-violation', () => {
    assert.deepEqual(tokenize(['<a>' + 'x'.repeat(10) + '\u0000' + 'y'.repeat(100) + '</a>'], { maxUnitBytes: 50 }).log, [
      'start 1 a {}',
      'error not-well-formed',
    ]);
    assert.deepEqual(tokenize(['<a>' + 'x'.repeat(100) + '\u0000</a>'], { maxUnitBytes: 50 }).log, ['start 1 a {}', 'error policy-violation']);
  });
});
