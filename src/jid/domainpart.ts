// RFC 7622 section 3.2 (domainpart): a fully qualified domain name of IDNA2008 labels (RFC 5890
// section 2.3.2, RFC 5891 section 4.2), an IPv4 address, or an IPv6 address in brackets (RFC 3986
// section 3.2.2). Labels are kept as U-labels, lower-cased and NFC, so that equal domains compare
// equal as strings; A-labels ("xn--...") are decoded to U-labels for the same reason.

import { contextRuleHolds, satisfiesBidiRule } from './precis-context.js';
import { idnaProperty } from './precis-class.js';
import { mapWidth } from './precis-profiles.js';
import { punycodeDecode, punycodeEncode } from './punycode.js';

export class DomainError extends Error {
  override readonly name = 'DomainError';
}

const MAX_LABEL_OCTETS = 63; // RFC 1034 section 3.1, counted on the A-label
const RE_ASCII_DOMAIN = /^[A-Za-z0-9.-]+$/;
const RE_LDH_LABEL = /^[a-z0-9-]+$/;
const RE_IDEOGRAPHIC_STOPS = /[\u3002\uff0e\uff61]/g; // RFC 5895 section 2 label separators
const RE_LEADING_MARK = /^\p{M}/u;
const RE_IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const RE_HEX_GROUP = /^[0-9a-f]{1,4}$/;

export function isIPv6(s: string): boolean {
  let text = s.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return false;
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!RE_IPV4.test(tail)) return false;
    text = text.slice(0, lastColon + 1) + '0:0'; // an embedded IPv4 address fills two groups
  }
  const gap = text.indexOf('::');
  if (gap !== text.lastIndexOf('::')) return false;
  const pieces = gap >= 0 ? [text.slice(0, gap), text.slice(gap + 2)] : [text];
  let groups = 0;
  for (const piece of pieces) {
    if (piece === '') continue;
    for (const group of piece.split(':')) {
      if (!RE_HEX_GROUP.test(group)) return false;
      groups++;
    }
  }
  return gap >= 0 ? groups <= 7 : groups === 8;
}

function checkULabel(label: string): void {
  const cps = Array.from(label, (ch) => ch.codePointAt(0)!);
  if (RE_LEADING_MARK.test(label)) throw new DomainError('label starts with a combining mark');
  if (label.startsWith('-') || label.endsWith('-')) throw new DomainError('label starts or ends with a hyphen');
  if (label.slice(2, 4) === '--') throw new DomainError('label has "--" in positions 3 and 4');
  for (let i = 0; i < cps.length; i++) {
    const property = idnaProperty(cps[i]);
    if (property === 'PVALID') continue;
    if ((property === 'CONTEXTJ' || property === 'CONTEXTO') && contextRuleHolds(cps, i)) continue;
    throw new DomainError(`U+${cps[i].toString(16).toUpperCase()} is not allowed in a domain label`);
  }
  if (!satisfiesBidiRule(cps)) throw new DomainError('label violates the Bidi Rule');
}

function toALabel(uLabel: string): string {
  try {
    return 'xn--' + punycodeEncode(uLabel);
  } catch {
    throw new DomainError('label cannot be encoded');
  }
}

function normalizeLabel(label: string): string {
  if (label.length === 0) throw new DomainError('empty label');
  if (RE_LDH_LABEL.test(label)) {
    if (label.length > MAX_LABEL_OCTETS) throw new DomainError('label longer than 63 octets');
    if (label.startsWith('-') || label.endsWith('-')) throw new DomainError('label starts or ends with a hyphen');
    if (!label.startsWith('xn--')) return label;
    let uLabel: string;
    try {
      uLabel = punycodeDecode(label.slice(4));
    } catch {
      throw new DomainError('invalid A-label');
    }
    // RFC 5891 section 5.4: an A-label must be the exact encoding of a valid, non-ASCII U-label.
    if (!/[^\0-\x7f]/.test(uLabel) || uLabel !== uLabel.toLowerCase().normalize('NFC')) {
      throw new DomainError('invalid A-label');
    }
    checkULabel(uLabel);
    if (toALabel(uLabel) !== label) throw new DomainError('invalid A-label');
    return uLabel;
  }
  if (/^[\0-\x7f]*$/.test(label)) throw new DomainError('label has characters other than letters, digits and hyphen');
  checkULabel(label);
  if (toALabel(label).length > MAX_LABEL_OCTETS) throw new DomainError('label longer than 63 octets');
  return label;
}

/** Normalises a domainpart; throws DomainError when it is not a valid one. */
export function enforceDomainpart(input: string): string {
  if (input.startsWith('[')) {
    if (!input.endsWith(']') || !isIPv6(input.slice(1, -1))) throw new DomainError('invalid IPv6 literal');
    return input.toLowerCase();
  }
  let s = RE_ASCII_DOMAIN.test(input)
    ? input.toLowerCase()
    : mapWidth(input).replace(RE_IDEOGRAPHIC_STOPS, '.').toLowerCase().normalize('NFC');
  // RFC 7622 section 3.2: a trailing label separator is stripped before any use.
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.length === 0) throw new DomainError('empty');
  return s.split('.').map(normalizeLabel).join('.');
}
