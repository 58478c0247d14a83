// Stored item payloads are serialised XML (XEP-0060 7.1: the payload is opaque to the service). A
// RawXml node lets a reply or a notification built as an Element carry such a payload without
// parsing it back into a tree: it serialises as the stored text, verbatim.

import { Element } from '../../xml/element.js';

export class RawXml extends Element {
  constructor(readonly serialised: string) {
    super('#raw');
  }

  override clone(): Element {
    return new RawXml(this.serialised);
  }

  override write(out: string[]): void {
    out.push(this.serialised);
  }
}

/**
 * The payload element serialised on its own: namespace declarations it inherits from the stanza
 * (its default namespace, prefixes declared on ancestors) are copied onto it so the text means the
 * same thing wherever it is later inserted.
 */
export function standalonePayload(payload: Element): { xml: string; namespace: string | undefined } {
  const namespace = payload.getNS();
  const copy = payload.clone();
  for (let el = payload.parent; el; el = el.parent) {
    for (const key in el.attrs) {
      if ((key === 'xmlns' || key.startsWith('xmlns:')) && copy.attrs[key] === undefined) copy.attrs[key] = el.attrs[key]!;
    }
  }
  return { xml: copy.toString(), namespace };
}
