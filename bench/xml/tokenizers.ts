// Compares XML parsers for XMPP streams (RFC 6120 section 4 framing, section 11 restricted XML): our
// XmlTokenizer / StreamParser, ltx's SaxLtx (what xmpp.js streams through) and saxes (strict, with
// namespaces). Prints Markdown: throughput on a realistic stanza stream fed in 16 KiB socket-sized
// chunks (best of several runs), and a strictness table of what each parser does with hostile input.
//
//   npx tsc -p tsconfig.json && node dist/bench/xml/tokenizers.js [corpus MiB, default 4]

import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import SaxLtx from 'ltx/src/parsers/ltx.js';
import { SaxesParser } from 'saxes';
import { Element, type Attributes } from '../../src/xml/element.js';
import { StreamParser } from '../../src/xml/stream-parser.js';
import { XmlTokenizer } from '../../src/xml/tokenizer.js';
import { buildCorpus, STREAM_HEADER } from './stanza-corpus.js';

const CHUNK_BYTES = 16 * 1024;
const RUNS = 15;
const LIMITS = { maxStanzaBytes: 256 * 1024, maxDepth: 32 };

/** Builds one Element per first-level child, the way a server consumes a stream. */
class StanzaBuilder {
  private depth = 0;
  private current: Element | null = null;
  root: Element | null = null;
  readonly stanzas: Element[] = [];
  count = 0;

  constructor(private readonly keep: boolean) {}

  start(name: string, attrs: Attributes): void {
    this.depth++;
    const el = new Element(name, attrs);
    if (this.depth === 1) {
      this.root = el;
      return;
    }
    if (this.depth === 2) el.parent = this.root;
    else this.current!.append(el);
    this.current = el;
  }

  end(): void {
    if (this.depth === 2) {
      this.count++;
      if (this.keep) this.stanzas.push(this.current!);
    }
    if (this.depth >= 2) this.current = this.depth === 2 ? null : this.current!.parent;
    this.depth--;
  }

  text(text: string): void {
    if (this.current) this.current.t(text);
  }
}

interface ParseResult {
  stanzas: Element[];
  count: number;
  error?: string;
}

type Feed = (chunks: Buffer[], keep?: boolean) => ParseResult;

function decodeAll(chunks: Buffer[]): string[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return chunks.map((c) => decoder.decode(c, { stream: true }));
}

function oursTree(chunks: Buffer[], keep = false): ParseResult {
  const result: ParseResult = { stanzas: [], count: 0 };
  const parser = new StreamParser(
    {
      onStreamStart: () => {},
      onElement: (el) => {
        result.count++;
        if (keep) result.stanzas.push(el);
      },
      onStreamEnd: () => {},
      onError: (condition, text) => {
        result.error ??= `${condition}: ${text}`;
      },
    },
    LIMITS,
  );
  for (const chunk of chunks) parser.write(chunk);
  return result;
}

function ltxTree(chunks: Buffer[], keep = false): ParseResult {
  const builder = new StanzaBuilder(keep);
  const result: ParseResult = { stanzas: builder.stanzas, count: 0 };
  const parser = new SaxLtx();
  parser.on('startElement', (name: string, attrs: Attributes) => builder.start(name, attrs));
  parser.on('endElement', () => builder.end());
  parser.on('text', (text: string) => builder.text(text));
  parser.on('error', (err: Error) => (result.error ??= err.message));
  try {
    // xmpp.js hands ltx strings from socket.setEncoding('utf8'), a lenient decoder
    for (const text of decodeLenient(chunks)) parser.write(text);
  } catch (err) {
    result.error ??= `throws ${(err as Error).message}`;
  }
  result.count = builder.count;
  return result;
}

function saxesTree(chunks: Buffer[], keep = false): ParseResult {
  const builder = new StanzaBuilder(keep);
  const result: ParseResult = { stanzas: builder.stanzas, count: 0 };
  const parser = new SaxesParser({ xmlns: true, position: false });
  parser.on('opentag', (tag) => {
    const attrs: Attributes = {};
    for (const key in tag.attributes) attrs[key] = tag.attributes[key]!.value;
    builder.start(tag.name, attrs);
  });
  parser.on('closetag', () => builder.end());
  parser.on('text', (text) => builder.text(text));
  parser.on('cdata', (text) => builder.text(text));
  parser.on('error', (err) => (result.error ??= err.message));
  try {
    for (const text of decodeLenient(chunks)) parser.write(text);
  } catch (err) {
    result.error ??= `throws ${(err as Error).message}`;
  }
  result.count = builder.count;
  return result;
}

/** The string a lenient stream decoder (socket.setEncoding('utf8')) produces: bad bytes become U+FFFD. */
function decodeLenient(chunks: Buffer[]): string[] {
  const decoder = new TextDecoder('utf-8');
  return chunks.map((c) => decoder.decode(c, { stream: true }));
}

/** Tokenize only: events counted, no trees; the input is already text. */
function oursTokens(texts: string[]): number {
  let count = 0;
  const tokenizer = new XmlTokenizer(
    {
      startElement: () => {},
      endElement: (_name, depth) => {
        if (depth === 2) count++;
      },
      text: () => {},
      error: (condition, message) => {
        throw new Error(`${condition}: ${message}`);
      },
    },
    { unitDepth: 2, maxUnitBytes: LIMITS.maxStanzaBytes, maxDepth: LIMITS.maxDepth + 1, maxAttributes: 64, maxNameLength: 256 },
  );
  for (const text of texts) tokenizer.write(text);
  return count;
}

function ltxTokens(texts: string[]): number {
  let depth = 0;
  let count = 0;
  const parser = new SaxLtx();
  parser.on('startElement', () => depth++);
  parser.on('endElement', () => {
    if (depth-- === 2) count++;
  });
  parser.on('text', () => {});
  for (const text of texts) parser.write(text);
  return count;
}

function saxesTokens(texts: string[]): number {
  let count = 0;
  let depth = 0;
  const parser = new SaxesParser({ xmlns: true, position: false });
  parser.on('opentag', () => depth++);
  parser.on('closetag', () => {
    if (depth-- === 2) count++;
  });
  parser.on('text', () => {});
  for (const text of texts) parser.write(text);
  return count;
}

/**
 * Best wall-clock and best CPU time (all of the process's threads, so GC helpers count) of each job over
 * RUNS rounds after one warm-up round. Rounds run every job once in turn, so a noisy moment on a shared
 * machine hits all parsers alike; CPU time is what to compare when other processes compete for the cores.
 */
function bestTimes(jobs: Array<() => number>, expected: number): Array<{ wall: number; cpu: number }> {
  const best = jobs.map(() => ({ wall: Infinity, cpu: Infinity }));
  for (let round = 0; round <= RUNS; round++) {
    jobs.forEach((job, k) => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const count = job();
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (count !== expected) throw new Error(`parsed ${count} stanzas, expected ${expected}`);
      if (round === 0) return;
      best[k]!.wall = Math.min(best[k]!.wall, wall);
      best[k]!.cpu = Math.min(best[k]!.cpu, (cpu.user + cpu.system) / 1000);
    });
  }
  return best;
}

function machine(): string {
  let cpu = 'unknown';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    cpu = os.cpus()[0]?.model ?? cpu;
  }
  return `nproc ${os.availableParallelism()}, CPU "${cpu}", Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function chunked(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) chunks.push(bytes.subarray(i, i + CHUNK_BYTES));
  return chunks;
}

function speedTables(mib: number): void {
  const corpus = buildCorpus(mib * 1024 * 1024);
  const bytes = Buffer.from(corpus.text);
  const chunks = chunked(bytes);
  const texts = decodeAll(chunks);
  const mb = bytes.length / 1e6;

  const reference = oursTree(chunks, true).stanzas.map((s) => s.toString()).join('\n');
  const agree = [ltxTree, saxesTree].map((f) => f(chunks, true).stanzas.map((s) => s.toString()).join('\n') === reference);
  console.log(`Corpus: ${corpus.stanzas} stanzas, ${mb.toFixed(2)} MB UTF-8, fed in ${CHUNK_BYTES / 1024} KiB chunks; best of ${RUNS} rounds after one warm-up round, parsers taking turns.`);
  console.log(`Same stanzas from all three: ltx ${agree[0] ? 'yes' : 'NO'}, saxes ${agree[1] ? 'yes' : 'NO'}.\n`);

  const jobs: Array<[string, () => number]> = [
    ['almanac XmlTokenizer (text in, events out)', () => oursTokens(texts)],
    ['ltx SaxLtx (text in, events out)', () => ltxTokens(texts)],
    ['saxes, xmlns: true (text in, events out)', () => saxesTokens(texts)],
    ['almanac StreamParser (bytes in, stanza Elements out)', () => oursTree(chunks).count],
    ['ltx SaxLtx + Element builder (bytes in, stanza Elements out)', () => ltxTree(chunks).count],
    ['saxes + Element builder (bytes in, stanza Elements out)', () => saxesTree(chunks).count],
  ];
  const times = bestTimes(jobs.map(([, job]) => job), corpus.stanzas);
  console.log('| parser | MB/s (CPU time) | stanzas/s (CPU time) | best CPU ms | best wall ms |');
  console.log('|---|---:|---:|---:|---:|');
  jobs.forEach(([name], k) => {
    const { wall, cpu } = times[k]!;
    const rate = (n: number) => n / (cpu / 1000);
    console.log(`| ${name} | ${rate(mb).toFixed(1)} | ${Math.round(rate(corpus.stanzas)).toLocaleString('en-US')} | ${cpu.toFixed(1)} | ${wall.toFixed(1)} |`);
  });
}

const BODY = (inner: string) => `<message to='romeo@example.net' id='h1'><body>${inner}</body></message>`;
const AFTER_HEADER = (stanza: string) => Buffer.from(STREAM_HEADER + stanza + '<presence/>');
const HEADER_WITHOUT_DECLARATION = STREAM_HEADER.replace("<?xml version='1.0'?>", '');

const LOL = ['<!ENTITY lol "lol">', ...Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('');

const HOSTILE: Array<[string, Buffer]> = [
  ['DOCTYPE before the stream', Buffer.from(`<?xml version='1.0'?><!DOCTYPE stream:stream>${HEADER_WITHOUT_DECLARATION}<presence/>`)],
  ['entity declarations (billion laughs)', Buffer.from(`<?xml version='1.0'?><!DOCTYPE stream:stream [${LOL}]>${HEADER_WITHOUT_DECLARATION}${BODY('&lol8;')}`)],
  ['comment in a stanza', AFTER_HEADER(BODY('a<!-- hidden -->b'))],
  ['processing instruction', AFTER_HEADER(BODY("<?php system('id') ?>"))],
  ['undefined entity &nbsp;', AFTER_HEADER(BODY('a&nbsp;b'))],
  ['mismatched end tag', AFTER_HEADER("<message><body>x</message></body>")],
  ['duplicate attribute', AFTER_HEADER("<message to='a@example.com' to='b@example.com'/>")],
  ['invalid UTF-8 (C3 28)', Buffer.concat([Buffer.from(STREAM_HEADER + "<message><body>caf"), Buffer.from([0xc3, 0x28]), Buffer.from('</body></message>')])],
  ['illegal character U+0000', AFTER_HEADER(BODY('a\u0000b'))],
  ["lone '<' in an attribute value", AFTER_HEADER("<message to='a<b@example.com'/>")],
  ["']]>' in text", AFTER_HEADER(BODY('a]]>b'))],
  ['undeclared prefix', AFTER_HEADER("<message><x:y/></message>")],
  ['text between stanzas', AFTER_HEADER('hello')],
  ['10 MB attribute value', Buffer.concat([Buffer.from(STREAM_HEADER + "<message id='"), Buffer.alloc(10 * 1024 * 1024, 'a'), Buffer.from("'/>")])],
];

function describeOutcome(result: ParseResult): string {
  if (result.error !== undefined) {
    const message = result.error.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
    return `rejects: ${message.length > 70 ? message.slice(0, 70) + '...' : message}`;
  }
  if (result.stanzas.length === 0) return '**no error**, delivers nothing (the rest of the stream is swallowed)';
  const shown = result.stanzas.map((s) => s.toString()).join('');
  if (shown.length > 1e6) return `**accepts**, buffering a ${(shown.length / 1e6).toFixed(1)} MB stanza`;
  const clipped = shown.length > 70 ? shown.slice(0, 70) + '...' : shown;
  return `**accepts**, delivers \`${clipped.replace(/\|/g, '\\|').replace(/\u0000/g, '\\0')}\``;
}

function strictnessTable(): void {
  console.log('| hostile input | almanac StreamParser | ltx SaxLtx | saxes (xmlns) |');
  console.log('|---|---|---|---|');
  for (const [name, input] of HOSTILE) {
    const chunks = chunked(input);
    const cells = [oursTree, ltxTree, saxesTree].map((f) => describeOutcome(f(chunks, true)));
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}

const mib = Number(process.argv[2] ?? 4);
console.log(`Machine: ${machine()}\n`);
speedTables(mib);
console.log('');
strictnessTable();
