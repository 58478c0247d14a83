// DESIGN.md section 7: a stanza sent to many recipients is serialised once. Its copies differ only in
// `to` (RFC 6120 8.1.1: the recipient), so the text is cut around that attribute and each copy is the
// pieces with the recipient's address spliced in; in a cluster the pieces travel once to each process.

import type { Element } from '../xml/element.js';
import { escapeAttribute } from '../xml/escape.js';
import type { StanzaTemplate } from './session-registry.js';

/** The text of `template` for one recipient. */
export function renderTemplate(template: StanzaTemplate, to: string, part?: string): string {
  return template.head + escapeAttribute(to) + template.body + (part ?? template.part) + template.end;
}

/** `stanza` (whatever its `to`) as a template whose `to` is the recipient's. */
export function templateOf(stanza: Element): StanzaTemplate {
  const copy = stanza.clone();
  delete copy.attrs.to;
  const text = copy.toString();
  const start = `<${copy.name}`;
  return { head: `${start} to='`, body: `'${text.slice(start.length)}`, part: '', end: '' };
}
