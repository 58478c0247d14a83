// XEP-0059 result set management: the <set/> request of a paged query and the <set/> of its answer.

import { Element, xml } from '../xml/element.js';
import { NS } from './namespaces.js';

export interface RsmRequest {
  max?: number;
  after?: string;
  /** '' means "the last page" (XEP-0059 section 2.5). */
  before?: string;
  index?: number;
}

export interface RsmResult {
  first?: string;
  firstIndex?: number;
  last?: string;
  count?: number;
}

/** Reads <set xmlns='http://jabber.org/protocol/rsm'/>; throws on a malformed max or index. */
export function parseRsm(parent: Element): RsmRequest | undefined {
  const set = parent.getChild('set', NS.RSM);
  if (!set) return undefined;
  const out: RsmRequest = {};
  const max = set.getChildText('max');
  if (max !== undefined) {
    if (!/^\d+$/.test(max.trim())) throw new Error('RSM max must be a non-negative integer');
    out.max = Number(max.trim());
  }
  const index = set.getChildText('index');
  if (index !== undefined) {
    if (!/^\d+$/.test(index.trim())) throw new Error('RSM index must be a non-negative integer');
    out.index = Number(index.trim());
  }
  const after = set.getChild('after');
  if (after) out.after = after.text();
  const before = set.getChild('before');
  if (before) out.before = before.text();
  return out;
}

export function rsmElement(r: RsmResult): Element {
  const set = xml('set', { xmlns: NS.RSM });
  if (r.first !== undefined) set.append(xml('first', r.firstIndex !== undefined ? { index: String(r.firstIndex) } : {}, r.first));
  if (r.last !== undefined) set.append(xml('last', {}, r.last));
  if (r.count !== undefined) set.append(xml('count', {}, String(r.count)));
  return set;
}
