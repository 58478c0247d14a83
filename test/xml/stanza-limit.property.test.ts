// The maxStanzaBytes rule (RFC 6120 section 13.12, denial of service) is exact in UTF-8 bytes, the bytes
// that went over the wire: a first-level element of N bytes passes a limit of N and
// fails a limit of N - 1, whatever characters it holds and however the bytes are chunked.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeAttribute, escapeText } from '../../src/xml/escape.js';
import { SHORT_HEADER, StreamRecorder } from './stream-recorder.js';

/** Text made only of legal XML characters, mixing 1-, 2-, 3- and 4-byte UTF-8 sequences. */
const xmlText = fc
  .array(fc.constantFrom('a', ' ', '<', '&', ']', '\u00e9', '\u00df', '\u20ac', '\u65e5', '\ufffd', '\u{1F600}', '\u{10FFFF}', '"', "'", '\n'), {
    maxLength: 300,
  })
  .map((chars) => chars.join(''));

describe('stanza byte limit', () => {
  it('a stanza of N UTF-8 bytes passes a limit of N and fails N - 1, however it is chunked', () => {
    fc.assert(
      fc.property(xmlText, xmlText, fc.array(fc.nat(), { maxLength: 20 }), fc.boolean(), (body, attr, raw, asBytes) => {
        // the padding keeps every limit tried above the stream header's size, which the limit also bounds
        const stanza = `<message id='${escapeAttribute(attr)}'><body>${'x'.repeat(60)}${escapeText(body)}</body></message>`;
        const size = Buffer.byteLength(stanza);
        for (const [limit, expected] of [[size, undefined], [size - 1, 'policy-violation']] as const) {
          const input = SHORT_HEADER + stanza;
          const rec = new StreamRecorder({ maxStanzaBytes: limit, maxDepth: 4 });
          const data = asBytes ? Buffer.from(input) : input;
          const cuts = [...new Set(raw.map((r) => r % (data.length + 1)))].sort((a, b) => a - b);
          let from = 0;
          for (const cut of [...cuts, data.length]) {
            rec.parser.write(typeof data === 'string' ? data.slice(from, cut) : data.subarray(from, cut));
            from = cut;
          }
          assert.equal(rec.condition, expected, `limit ${limit} for ${size} bytes`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
