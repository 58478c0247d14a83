// The load generator's delivery counter (bench/load/marker-scanner.ts): one marker, one delivery,
// however the bytes are cut.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MarkerScanner } from '../../bench/load/marker-scanner.js';

function scanAll(chunks: string[]): number[] {
  const seen: number[] = [];
  const scanner = new MarkerScanner('bseq-', (n) => seen.push(n));
  for (const c of chunks) scanner.feed(c);
  return seen;
}

const stream =
  "<message from='pubsub.localhost'><event><items><item id='i1'><entry>bseq-1.</entry></item></items></event></message>" +
  "<message from='pubsub.localhost'><event><items><item id='i22'><entry>bseq-22.   </entry></item></items></event></message>" +
  "<message from='pubsub.localhost'><event><items><item id='i333'><entry>bseq-333.</entry></item></items></event></message>";

describe('MarkerScanner', () => {
  it('finds every marker in one chunk, in order', () => {
    assert.deepEqual(scanAll([stream]), [1, 22, 333]);
  });

  it('a marker cut at any byte is counted once, with its whole number', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      assert.deepEqual(scanAll([stream.slice(0, cut), stream.slice(cut)]), [1, 22, 333], `cut at ${cut}`);
    }
  });

  it('byte-by-byte delivery still yields each marker once', () => {
    assert.deepEqual(scanAll([...stream]), [1, 22, 333]);
  });

  it('a prefix without digits and a terminating dot is no marker', () => {
    assert.deepEqual(scanAll(['bseq-. bseq-x bseq-12 ', 'bseq-7.']), [7]);
  });

  it('feed returns how many markers the chunk completed', () => {
    const scanner = new MarkerScanner('pp-', () => {});
    assert.equal(scanner.feed('<body>pp-1.</body><body>pp-'), 1);
    assert.equal(scanner.feed('2.</body>'), 1);
  });
});
