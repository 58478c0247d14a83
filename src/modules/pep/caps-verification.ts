// XEP-0115 section 5.1 (generation of the verification string, i;octet sorting, XEP-0128 extended
// forms) and 5.4 (processing: a disco#info answer that breaks the rules is not trusted), so the server
// caches a client's features under its 'ver' only when the answer hashes to that 'ver' (no poisoning).

import { createHash } from 'node:crypto';
import type { Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';

/** The hash functions of the IANA registry XEP-0115 names, as node:crypto calls them. */
const HASHES: Record<string, string> = {
  'sha-1': 'sha1',
  'sha-224': 'sha224',
  'sha-256': 'sha256',
  'sha-384': 'sha384',
  'sha-512': 'sha512',
};

const octets = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export function supportedCapsHash(hash: string): boolean {
  return HASHES[hash] !== undefined;
}

/** The string S of 5.1 for a disco#info <query/>, or undefined when the answer is ill-formed (5.4). */
export function verificationString(query: Element): string | undefined {
  const identities = query.getChildren('identity').map((i) => {
    const lang = i.attrs['xml:lang'] ?? '';
    return { key: `${i.attrs.category ?? ''}/${i.attrs.type ?? ''}/${lang}`, text: `${i.attrs.category ?? ''}/${i.attrs.type ?? ''}/${lang}/${i.attrs.name ?? ''}` };
  });
  if (new Set(identities.map((i) => i.text)).size !== identities.length) return undefined;
  const features = query.getChildren('feature').map((f) => f.attrs.var ?? '');
  if (new Set(features).size !== features.length) return undefined;

  const forms: { type: string; text: string }[] = [];
  for (const x of query.getChildren('x', NS.DATA_FORMS)) {
    const fields = x.getChildren('field');
    const formType = fields.find((f) => f.attrs.var === 'FORM_TYPE');
    if (!formType) continue;
    if (formType.attrs.type !== 'hidden') return undefined;
    const type = formType.getChildText('value') ?? '';
    let text = type + '<';
    const rest = fields.filter((f) => f.attrs.var !== 'FORM_TYPE').sort((a, b) => octets(a.attrs.var ?? '', b.attrs.var ?? ''));
    for (const f of rest) {
      text += (f.attrs.var ?? '') + '<';
      const values = f.getChildren('value').map((v) => v.text()).sort(octets);
      for (const v of values) text += v + '<';
    }
    forms.push({ type, text });
  }
  if (new Set(forms.map((f) => f.type)).size !== forms.length) return undefined;

  let s = '';
  for (const i of identities.sort((a, b) => octets(a.key, b.key) || octets(a.text, b.text))) s += i.text + '<';
  for (const f of features.sort(octets)) s += f + '<';
  for (const f of forms.sort((a, b) => octets(a.type, b.type))) s += f.text;
  return s;
}

/** Whether `query` hashes to `ver` with `hash` (5.1 step 9). */
export function verifiesCaps(query: Element, hash: string, ver: string): boolean {
  const algorithm = HASHES[hash];
  const s = verificationString(query);
  if (!algorithm || s === undefined) return false;
  return createHash(algorithm).update(s, 'utf8').digest('base64') === ver;
}
