// The notification template of XEP-0060 7.1.2 / DESIGN.md section 7: one serialisation per notification,
// `to` spliced and escaped per recipient, SHIM SubID headers (12.14) only for several subscriptions and
// only on item and retraction events, XEP-0203 delay on late last items, XEP-0163 replyto on request.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../../src/xml/parse-document.js';
import type { Notification } from '../../../src/modules/pubsub/engine/notification.js';
import { NotificationTemplate } from '../../../src/modules/pubsub/notification-xml.js';

const base: Notification = {
  kind: 'items',
  service: 'pubsub.example.com',
  node: 'n',
  items: [{ id: 'i1', payload: `<entry xmlns='urn:x'>a &amp; b</entry>`, published: Date.UTC(2026, 0, 2, 3, 4, 5) }],
  notificationType: 'headline',
  recipients: [],
};

describe('notification template', () => {
  it('splices each recipient into the same serialisation, escaping the JID', () => {
    const t = new NotificationTemplate(base, 'nid');
    const a = t.render("o'brien@example.com/x", []);
    const b = t.render('bob@example.com', []);
    assert.equal(a.replace("o&apos;brien@example.com/x", 'bob@example.com'), b);
    const doc = parseDocument(a);
    assert.equal(doc.attrs.to, "o'brien@example.com/x");
    assert.deepEqual([doc.attrs.from, doc.attrs.type, doc.attrs.id], ['pubsub.example.com', 'headline', 'nid']);
    assert.equal(doc.getChild('event')!.getChild('items')!.getChild('item')!.getChild('entry')!.text(), 'a & b');
  });

  it('adds SubID headers only for a recipient with several subscriptions, as the last child (7.1.2.4)', () => {
    const t = new NotificationTemplate(base, 'nid');
    assert.equal(parseDocument(t.render('a@example.com', ['s1'])).getChild('headers'), undefined);
    const doc = parseDocument(t.render('a@example.com', ['s1', 's<2>']));
    const last = doc.getChildElements().at(-1)!;
    assert.equal(last.name, 'headers');
    assert.deepEqual(last.getChildren('header').map((h) => [h.attrs.name, h.text()]), [['SubID', 's1'], ['SubID', 's<2>']]);
  });

  it('leaves SubID headers out of events that do not differ per subscription (12.14)', () => {
    for (const kind of ['purge', 'delete', 'configuration'] as const) {
      const t = new NotificationTemplate({ ...base, kind, items: undefined }, 'nid');
      assert.equal(parseDocument(t.render('a@example.com', ['s1', 's2'])).getChild('headers'), undefined, kind);
    }
  });

  it('stamps a late last item with delay from the service (6.1.7, XEP-0203)', () => {
    const doc = parseDocument(new NotificationTemplate({ ...base, delayed: true }, 'nid').render('a@example.com', []));
    const delay = doc.getChild('delay')!;
    assert.deepEqual([delay.getNS(), delay.attrs.from, delay.attrs.stamp], ['urn:xmpp:delay', 'pubsub.example.com', '2026-01-02T03:04:05Z']);
  });

  it('names the publishing resource as replyto only when asked (XEP-0163 4.3.1)', () => {
    const t = new NotificationTemplate({ ...base, service: 'juliet@example.com', publisherFullJid: 'juliet@example.com/balcony' }, 'nid');
    assert.equal(parseDocument(t.render('a@example.com/r', [])).getChild('addresses'), undefined);
    const address = parseDocument(t.render('a@example.com/r', [], true)).getChild('addresses')!.getChild('address')!;
    assert.deepEqual([address.attrs.type, address.attrs.jid], ['replyto', 'juliet@example.com/balcony']);
  });

  it('normal notifications carry no type attribute; retractions list each id (7.2.2.1)', () => {
    const doc = parseDocument(new NotificationTemplate({ ...base, kind: 'retract', items: undefined, retracted: ['x', 'y'], notificationType: 'normal' }, 'nid').render('a@example.com', []));
    assert.equal(doc.attrs.type, undefined);
    assert.deepEqual(doc.getChild('event')!.getChild('items')!.getChildren('retract').map((r) => r.attrs.id), ['x', 'y']);
  });

  it('the element form serialises to the same message as the text form', () => {
    const t = new NotificationTemplate({ ...base, delayed: true }, 'nid');
    const text = parseDocument(t.render('a@example.com', ['s1', 's2']));
    const element = parseDocument(t.element('a@example.com', ['s1', 's2']).toString());
    assert.deepEqual(element.attrs, text.attrs);
    assert.equal(element.getChildElements().map((c) => c.toString()).join(''), text.getChildElements().map((c) => c.toString()).join(''));
  });

  it('an authorization request is a form message to the owners (8.6)', () => {
    const n: Notification = { ...base, kind: 'authorization', items: undefined, subscription: { jid: 'h@example.com', state: 'pending', subid: 'sub1' }, notificationType: 'normal' };
    const x = parseDocument(new NotificationTemplate(n, 'nid').render('owner@example.com', [])).getChild('x')!;
    const values = Object.fromEntries(x.getChildren('field').map((f) => [f.attrs.var, f.getChildText('value')]));
    assert.deepEqual(values, {
      FORM_TYPE: 'http://jabber.org/protocol/pubsub#subscribe_authorization',
      'pubsub#subid': 'sub1',
      'pubsub#node': 'n',
      'pubsub#subscriber_jid': 'h@example.com',
      'pubsub#allow': '0',
    });
  });
});
