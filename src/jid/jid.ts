// RFC 7622 section 3.1: the JID as localpart@domainpart/resourcepart, how a string splits into
// those parts, and comparison of normalised JIDs. Jid values are immutable and always normalised,
// so equal addresses have equal strings and parsed values can be shared through a cache.

import { InvalidJidError } from './errors.js';
import { MAX_PART_OCTETS, normalizeDomainpart, normalizeLocalpart, normalizeResourcepart } from './parts.js';

const TRUSTED = Symbol('normalised parts');

export class Jid {
  #full: string | undefined;
  #bare: Jid | undefined;

  /** Not for direct use: build JIDs with `parseJid` or `jid`, which normalise and validate. */
  constructor(
    token: typeof TRUSTED,
    readonly local: string | undefined,
    readonly domain: string,
    readonly resource: string | undefined,
  ) {
    if (token !== TRUSTED) throw new TypeError('use parseJid() or jid() to create a Jid');
  }

  /** The JID without its resourcepart (itself when it has none). */
  bare(): Jid {
    if (this.resource === undefined) return this;
    return (this.#bare ??= new Jid(TRUSTED, this.local, this.domain, undefined));
  }

  isBare(): boolean {
    return this.resource === undefined;
  }

  /** The same bare JID with another resourcepart, which is normalised and validated. */
  withResource(resource: string): Jid {
    return new Jid(TRUSTED, this.local, this.domain, normalizeResourcepart(resource));
  }

  equals(other: Jid | null | undefined): boolean {
    return (
      other != null && other.domain === this.domain && other.local === this.local && other.resource === this.resource
    );
  }

  toString(): string {
    if (this.#full === undefined) {
      let s = this.local === undefined ? this.domain : `${this.local}@${this.domain}`;
      if (this.resource !== undefined) s += `/${this.resource}`;
      this.#full = s;
    }
    return this.#full;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Builds a JID from its parts, normalising each; an absent localpart is `undefined`, never ''. */
export function jid(local: string | undefined, domain: string, resource?: string): Jid {
  return new Jid(
    TRUSTED,
    local === undefined ? undefined : normalizeLocalpart(local),
    normalizeDomainpart(domain),
    resource === undefined ? undefined : normalizeResourcepart(resource),
  );
}

// Normalisation can shrink a string (NFC composes), so the raw bound is generous; it only keeps
// hostile megabyte strings away from the Unicode code paths.
const MAX_RAW_LENGTH = 3 * MAX_PART_OCTETS * 3 + 2;

function parseUncached(s: string): Jid {
  if (s.length > MAX_RAW_LENGTH) throw new InvalidJidError('jid', 'too long');
  const slash = s.indexOf('/');
  const bare = slash >= 0 ? s.slice(0, slash) : s;
  const at = bare.indexOf('@');
  return new Jid(
    TRUSTED,
    at >= 0 ? normalizeLocalpart(bare.slice(0, at)) : undefined,
    normalizeDomainpart(at >= 0 ? bare.slice(at + 1) : bare),
    slash >= 0 ? normalizeResourcepart(s.slice(slash + 1)) : undefined,
  );
}

// Routing parses the same few thousand addresses over and over; a bounded map of recent results
// (oldest evicted first) saves the work. Only valid JIDs are cached; a miss costs no more than an
// uncached parse.
const CACHE_LIMIT = 8192;
const cache = new Map<string, Jid>();

/** Parses and normalises a JID string; throws InvalidJidError when it is not a valid JID. */
export function parseJid(s: string): Jid {
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  const parsed = parseUncached(s);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(s, parsed);
  return parsed;
}

/** Like parseJid, but answers undefined instead of throwing. */
export function tryParseJid(s: string): Jid | undefined {
  try {
    return parseJid(s);
  } catch (e) {
    if (e instanceof InvalidJidError) return undefined;
    throw e;
  }
}
