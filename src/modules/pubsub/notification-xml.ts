// Event notifications as stanzas (XEP-0060 7.1.2 items, 7.2.2.1 retract, 8.2.5.3 configuration, 8.4.2
// delete with redirect, 8.5.2 purge, 8.6 authorization request form, 12.11 subscription state; 12.14
// SHIM SubID headers; XEP-0203 delay on a late last item; XEP-0163 4.3.1 XEP-0033 replyto). A
// notification is serialised ONCE (DESIGN.md section 7): the result is a template into which each
// recipient's escaped JID, and its SubID headers when it has several subscriptions, are spliced.

import { xml, type Element } from '../../xml/element.js';
import type { StanzaTemplate } from '../../core/session-registry.js';
import { escapeAttribute, escapeText } from '../../xml/escape.js';
import { NS } from '../../protocol/namespaces.js';
import { dataFormElement } from '../../protocol/data-form.js';
import type { Notification } from './engine/notification.js';
import { itemXml } from './item-xml.js';
import { dateTime, nodeConfigForm } from './node-config-form.js';
import { RawXml } from './raw-xml.js';
import { FORM_TYPES } from './submitted-form.js';

const ADDRESS_NS = 'http://jabber.org/protocol/address';
const a = escapeAttribute;

function eventContent(n: Notification): string {
  const node = a(n.node);
  const event = (inner: string) => `<event xmlns='${NS.PUBSUB_EVENT}'>${inner}</event>`;
  switch (n.kind) {
    case 'items': {
      const items = n.items ?? [];
      if (items.length === 0) return event(`<items node='${node}'/>`);
      let out = `<items node='${node}'>`;
      for (const item of items) out += itemXml(item);
      return event(out + '</items>');
    }
    case 'retract': {
      let out = `<items node='${node}'>`;
      for (const id of n.retracted ?? []) out += `<retract id='${a(id)}'/>`;
      return event(out + '</items>');
    }
    case 'purge':
      return event(`<purge node='${node}'/>`);
    case 'delete':
      return event(n.redirect ? `<delete node='${node}'><redirect uri='${a(n.redirect)}'/></delete>` : `<delete node='${node}'/>`);
    case 'configuration':
      return event(n.config ? `<configuration node='${node}'>${nodeConfigForm(n.config, 'result').toString()}</configuration>` : `<configuration node='${node}'/>`);
    case 'subscription': {
      const s = n.subscription!;
      const subid = s.subid ? ` subid='${a(s.subid)}'` : '';
      return event(`<subscription node='${node}' jid='${a(s.jid)}' subscription='${s.state}'${subid}/>`);
    }
    case 'authorization':
      return authorizationForm(n).toString();
  }
}

/** The approval request an owner answers by submitting the form back (8.6). */
function authorizationForm(n: Notification): Element {
  const s = n.subscription!;
  return dataFormElement({
    type: 'form',
    title: 'PubSub subscriber request',
    instructions: `To approve this entity's subscription request, set "allow" and submit. To deny it, submit with "allow" unset. To decide later, cancel.`,
    fields: [
      { var: 'FORM_TYPE', type: 'hidden', values: [FORM_TYPES.subscribeAuthorization] },
      { var: 'pubsub#subid', type: 'hidden', values: s.subid ? [s.subid] : [] },
      { var: 'pubsub#node', type: 'text-single', label: 'Node ID', values: [n.node] },
      { var: 'pubsub#subscriber_jid', type: 'jid-single', label: 'Subscriber Address', values: [s.jid] },
      { var: 'pubsub#allow', type: 'boolean', label: 'Allow this JID to subscribe to this pubsub node?', values: ['0'] },
    ],
  });
}

function shimHeaders(subids: readonly string[]): string {
  let out = `<headers xmlns='${NS.SHIM}'>`;
  for (const id of subids) out += `<header name='SubID'>${escapeText(id)}</header>`;
  return out + '</headers>';
}

export class NotificationTemplate {
  private readonly head: string;
  private readonly content: string;
  private readonly body: string;
  private readonly replyTo: string;
  private readonly tail: string;
  private readonly attrs: Record<string, string>;
  private readonly withSubids: boolean;
  /** Sent as type headline (RFC 6121 8.5.2.1.1: to every available resource of a bare JID). */
  readonly headline: boolean;

  constructor(
    readonly notification: Notification,
    readonly id: string,
  ) {
    const n = notification;
    this.attrs = { from: n.service, id };
    this.headline = n.notificationType === 'headline' && n.kind !== 'authorization';
    if (this.headline) this.attrs.type = 'headline';
    this.head = `<message from='${a(n.service)}' to='`;
    this.content = eventContent(n);
    this.body = `'${this.attrs.type ? ` type='${this.attrs.type}'` : ''} id='${a(id)}'>${this.content}`;
    this.replyTo = n.publisherFullJid
      ? `<addresses xmlns='${ADDRESS_NS}'><address type='replyto' jid='${a(n.publisherFullJid)}'/></addresses>`
      : '';
    const first = n.items?.[0];
    this.tail = n.delayed && first ? `<delay xmlns='${NS.DELAY}' from='${a(n.service)}' stamp='${dateTime(first.published)}'/>` : '';
    // SubIDs tell a JID with several subscriptions which ones matched; only item and retraction events differ per subscription.
    this.withSubids = n.kind === 'items' || n.kind === 'retract';
  }

  /** What differs per recipient besides `to`: the replyto address and the SubID headers. */
  inner(subids: readonly string[], replyTo: boolean): string {
    const headers = this.withSubids && subids.length > 1 ? shimHeaders(subids) : '';
    return (replyTo ? this.replyTo : '') + this.tail + headers;
  }

  /** [cluster] The same text in pieces, for processes that splice their own recipients in (render() below). */
  spliced(): StanzaTemplate {
    return { head: this.head, body: this.body, part: this.tail, end: '</message>' };
  }

  /** The serialised message to `jid`. */
  render(jid: string, subids: readonly string[], replyTo = false): string {
    return this.head + a(jid) + this.body + this.inner(subids, replyTo) + '</message>';
  }

  /** The same message as an element, for the router (offline storage, other services); payloads stay text. */
  element(jid: string, subids: readonly string[], replyTo = false): Element {
    return xml('message', { ...this.attrs, to: jid }, new RawXml(this.content + this.inner(subids, replyTo)));
  }
}
