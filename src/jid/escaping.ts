// XEP-0106 (JID Escaping) sections 3 and 4: showing characters that a localpart may not contain
// (space " & ' / : < > @) as \hexhex. Escaping is for presentation and gateways; the escaped form is
// what travels and what is compared.

import { InvalidJidError } from './errors.js';

const ESCAPES: Record<string, string> = {
  ' ': '\\20',
  '"': '\\22',
  '&': '\\26',
  "'": '\\27',
  '/': '\\2f',
  ':': '\\3a',
  '<': '\\3c',
  '>': '\\3e',
  '@': '\\40',
};

const UNESCAPES: Record<string, string> = {
  '\\20': ' ',
  '\\22': '"',
  '\\26': '&',
  '\\27': "'",
  '\\2f': '/',
  '\\3a': ':',
  '\\3c': '<',
  '\\3e': '>',
  '\\40': '@',
  '\\5c': '\\',
};

// Section 4.1 rule 7: a backslash is itself escaped only where it starts something that would
// otherwise read as an escape. (Rows 9-11 of the section 5.1 table escape every backslash, which
// contradicts both that rule and section 4.3; the normative text wins.)
const RE_TO_ESCAPE = /[ "&'/:<>@]|\\(?=20|22|26|27|2f|3a|3c|3e|40|5c)/g;
const RE_ESCAPED = /\\(?:20|22|26|27|2f|3a|3c|3e|40|5c)/g;

/** Escapes a user-facing name into a localpart. Leading or trailing spaces cannot be escaped. */
export function escapeLocal(name: string): string {
  if (name.startsWith(' ') || name.endsWith(' ')) {
    throw new InvalidJidError('localpart', 'a leading or trailing space cannot be escaped (XEP-0106 section 3.2)');
  }
  return name.replace(RE_TO_ESCAPE, (m) => ESCAPES[m] ?? '\\5c');
}

/** Turns an escaped localpart back into its display form; unknown sequences are left alone. */
export function unescapeLocal(local: string): string {
  return local.replace(RE_ESCAPED, (m) => UNESCAPES[m]);
}
