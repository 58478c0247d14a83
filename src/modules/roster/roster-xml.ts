// RFC 6121 section 2.1: the XML form of roster items and roster pushes (2.1.6).

import { Element, xml } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import type { RosterItem } from '../../storage/roster-store.js';

export function rosterItemElement(item: RosterItem | { jid: string; subscription: 'remove' }): Element {
  if (item.subscription === 'remove') return xml('item', { jid: item.jid, subscription: 'remove' });
  const full = item as RosterItem;
  const attrs: Record<string, string> = { jid: full.jid, subscription: full.subscription };
  if (full.name !== undefined) attrs.name = full.name;
  if (full.ask) attrs.ask = 'subscribe';
  if (full.approved) attrs.approved = 'true';
  return xml('item', attrs, ...full.groups.map((g) => xml('group', {}, g)));
}

export function rosterQuery(version: number | undefined, items: Element[]): Element {
  const attrs: Record<string, string> = { xmlns: NS.ROSTER };
  if (version !== undefined) attrs.ver = String(version);
  return xml('query', attrs, ...items);
}
