// RFC 7622 sections 3.2-3.4: normalisation and validation of each part of a JID on its own. Every
// part is 1 to 1023 octets of UTF-8 after normalisation. Plain ASCII takes a fast path that skips
// the Unicode machinery but applies the same rules (ASCII needs no NFC and has no bidi).

import { DomainError, enforceDomainpart } from './domainpart.js';
import { InvalidJidError } from './errors.js';
import { PrecisError, enforceOpaqueString, enforceUsernameCaseMapped } from './precis-profiles.js';

export const MAX_PART_OCTETS = 1023;

/** UTF-8 length without Buffer, so this module also runs in browsers. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function checkLength(part: 'localpart' | 'domainpart' | 'resourcepart', s: string): string {
  if (utf8Length(s) > MAX_PART_OCTETS) throw new InvalidJidError(part, 'longer than 1023 octets');
  return s;
}

// ASCII printable except space and the characters RFC 7622 section 3.3.1 forbids: " & ' / : < > @
const RE_ASCII_LOCAL = /^[\x21\x23-\x25\x28-\x2e\x30-\x39\x3b\x3d\x3f\x41-\x7e]+$/;
const RE_LOCAL_FORBIDDEN = /["&'/:<>@]/;
const RE_ASCII_RESOURCE = /^[\x20-\x7e]+$/;

export function normalizeLocalpart(input: string): string {
  if (input.length === 0) throw new InvalidJidError('localpart', 'empty');
  if (RE_ASCII_LOCAL.test(input)) return checkLength('localpart', input.toLowerCase());
  let s: string;
  try {
    s = enforceUsernameCaseMapped(input);
  } catch (e) {
    if (e instanceof PrecisError) throw new InvalidJidError('localpart', e.message);
    throw e;
  }
  if (RE_LOCAL_FORBIDDEN.test(s)) throw new InvalidJidError('localpart', 'contains one of " & \' / : < > @');
  return checkLength('localpart', s);
}

export function normalizeResourcepart(input: string): string {
  if (input.length === 0) throw new InvalidJidError('resourcepart', 'empty');
  if (RE_ASCII_RESOURCE.test(input)) return checkLength('resourcepart', input);
  try {
    return checkLength('resourcepart', enforceOpaqueString(input));
  } catch (e) {
    if (e instanceof PrecisError) throw new InvalidJidError('resourcepart', e.message);
    throw e;
  }
}

export function normalizeDomainpart(input: string): string {
  if (input.length === 0) throw new InvalidJidError('domainpart', 'empty');
  try {
    return checkLength('domainpart', enforceDomainpart(input));
  } catch (e) {
    if (e instanceof DomainError) throw new InvalidJidError('domainpart', e.message);
    throw e;
  }
}
