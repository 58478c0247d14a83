// RFC 7622 section 3 and RFC 8264 section 7 (enforcement is idempotent), checked with fast-check:
// formatting a parsed JID and parsing it again changes nothing.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  escapeLocal,
  jid,
  normalizeDomainpart,
  normalizeLocalpart,
  normalizeResourcepart,
  parseJid,
  tryParseJid,
  unescapeLocal,
} from '../../src/jid/index.js';

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

const localChars = fc.constantFrom(...'abcXYZ019._-+!~\\ßπΣσςçÉéÅﬁｱｲ日本語한국אבגابت\u0301\u094d\u200d'.split(''));
const resourceChars = fc.constantFrom(...'abcXYZ 019@/._-♚\u00a0\u2003ßΣé\u0301日本'.split(''));
const labelChars = fc.constantFrom(...'abcxyz019-äöüßπ日本'.split(''));

const localArb = fc.string({ unit: localChars, minLength: 1, maxLength: 12 });
const resourceArb = fc.string({ unit: resourceChars, minLength: 1, maxLength: 12 });
const domainArb = fc
  .array(fc.string({ unit: labelChars, minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 })
  .map((labels) => labels.join('.'));

describe('JID properties', () => {
  it('parse(format(j)) gives back j for every JID built from valid parts', () => {
    fc.assert(
      fc.property(fc.option(localArb), domainArb, fc.option(resourceArb), (l, d, r) => {
        const built = attempt(() => jid(l ?? undefined, d, r ?? undefined));
        if (!built) return;
        const again = parseJid(built.toString());
        assert.ok(again.equals(built), `${built} -> ${again}`);
        assert.equal(again.toString(), built.toString());
      }),
      { numRuns: 500 },
    );
  });

  it('normalising a normalised JID string is the identity', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        const once = tryParseJid(s);
        if (!once) return;
        assert.equal(parseJid(once.toString()).toString(), once.toString());
      }),
      { numRuns: 1000 },
    );
  });

  it('each part normaliser is idempotent on arbitrary Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), (s) => {
        for (const normalise of [normalizeLocalpart, normalizeResourcepart, normalizeDomainpart]) {
          const once = attempt(() => normalise(s));
          if (once !== undefined) assert.equal(normalise(once), once);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('the ASCII fast path agrees with the full PRECIS path', () => {
    // A combining mark forces the slow path; stripping its effect must give the fast-path result.
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 12 }), (s) => {
        const fast = attempt(() => normalizeLocalpart(s));
        const slow = attempt(() => normalizeLocalpart(s + '\u00e9'));
        if (fast === undefined) assert.equal(slow, undefined);
        else assert.equal(slow, fast + '\u00e9');
      }),
      { numRuns: 1000 },
    );
  });

  it('unescape(escape(s)) is s for every name without edge spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...' "&\'/:<>@\\abc235fc'.split('')), maxLength: 16 }), (s) => {
        if (s.startsWith(' ') || s.endsWith(' ')) return;
        assert.equal(unescapeLocal(escapeLocal(s)), s);
      }),
      { numRuns: 1000 },
    );
  });
});
