// RFC 8265 section 3.3 (UsernameCaseMapped, used for JID localparts) and section 4.2 (OpaqueString,
// used for resourceparts), built on the classes of RFC 8264 section 4. Each function performs
// "enforcement" (RFC 8264 section 7): apply the profile's mappings in order, then require that every
// code point of the result is allowed by the string class.

import { contextRuleHolds, satisfiesBidiRule } from './precis-context.js';
import { precisProperty } from './precis-class.js';

export class PrecisError extends Error {
  override readonly name = 'PrecisError';
}

// Code points whose decomposition is <wide> or <narrow>: U+3000 and the Halfwidth and Fullwidth
// Forms block. For these NFKC is exactly the decomposition mapping.
const RE_WIDTH = /[\u3000\uff01-\uffee]/g;

/** RFC 8265 section 3.3.1, width mapping rule. */
export function mapWidth(s: string): string {
  return s.replace(RE_WIDTH, (ch) => ch.normalize('NFKC'));
}

const RE_NON_ASCII_SPACE = /(?!\u0020)\p{Zs}/gu;

function codePoints(s: string): number[] {
  const cps: number[] = [];
  for (const ch of s) cps.push(ch.codePointAt(0)!);
  return cps;
}

function describe(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function checkClass(cps: readonly number[], freeform: boolean): void {
  for (let i = 0; i < cps.length; i++) {
    const property = precisProperty(cps[i]);
    if (property === 'PVALID') continue;
    if (property === 'SPEC_CLASS' && freeform) continue;
    if ((property === 'CONTEXTJ' || property === 'CONTEXTO') && contextRuleHolds(cps, i)) continue;
    throw new PrecisError(`${describe(cps[i])} is not allowed (${property})`);
  }
}

/** UsernameCaseMapped enforcement: width map, toLowerCase, NFC, IdentifierClass, Bidi Rule. */
export function enforceUsernameCaseMapped(input: string): string {
  const s = mapWidth(input).toLowerCase().normalize('NFC');
  if (s.length === 0) throw new PrecisError('empty');
  const cps = codePoints(s);
  checkClass(cps, false);
  if (!satisfiesBidiRule(cps)) throw new PrecisError('violates the Bidi Rule');
  return s;
}

/** OpaqueString enforcement: non-ASCII spaces to U+0020, NFC, FreeformClass. */
export function enforceOpaqueString(input: string): string {
  const s = input.replace(RE_NON_ASCII_SPACE, ' ').normalize('NFC');
  if (s.length === 0) throw new PrecisError('empty');
  checkClass(codePoints(s), true);
  return s;
}
