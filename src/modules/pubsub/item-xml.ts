// The <item/> element as XEP-0060 sends it: in item retrieval results (6.5.2), in event notifications
// (7.1.2.1 with payload, 7.1.2.2 without, 7.1.2.3 with the publisher) and, through notifications, in
// XEP-0313 archive results. Stored payloads are already serialised, so items are written as text.

import { xml, type Element } from '../../xml/element.js';
import { escapeAttribute } from '../../xml/escape.js';
import type { Item } from './engine/types.js';
import type { NotifiedItem } from './engine/notification.js';
import { RawXml } from './raw-xml.js';

/** `<item id='..' publisher='..'>payload</item>` as text. */
export function itemXml(item: NotifiedItem | Item): string {
  let open = `<item id='${escapeAttribute(item.id)}'`;
  if (item.publisher !== undefined) open += ` publisher='${escapeAttribute(item.publisher)}'`;
  return item.payload ? `${open}>${item.payload}</item>` : `${open}/>`;
}

/** The same item as an element whose payload is written verbatim. */
export function itemElement(item: Item): Element {
  const attrs: Record<string, string> = { id: item.id };
  if (item.publisher !== undefined) attrs.publisher = item.publisher;
  return xml('item', attrs, item.payload ? new RawXml(item.payload) : null);
}
