// DESIGN.md section 7 across processes: a pubsub notification travels to another process as one template
// (XEP-0060 7.1.2 message with the `to` left out) and that process splices each recipient in. What it
// builds must be, byte for byte, what the publishing process would have sent itself: escaped `to`,
// XEP-0163 replyto, XEP-0203 delay and SHIM SubID headers (12.14) included.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Notification } from '../../src/modules/pubsub/engine/notification.js';
import { NotificationTemplate } from '../../src/modules/pubsub/notification-xml.js';
import { renderTemplate } from '../../src/core/stanza-template.js';

const base: Notification = {
  kind: 'items',
  service: 'pubsub.example.com',
  node: 'n',
  items: [{ id: 'i1', payload: `<entry xmlns='urn:x'>a &amp; b</entry>`, published: Date.UTC(2026, 0, 2, 3, 4, 5) }],
  notificationType: 'headline',
  recipients: [],
};

describe('a notification template spliced by the receiving process', () => {
  it('rebuilds exactly the text the publishing process renders, for every recipient variant', () => {
    const variants: Notification[] = [
      base,
      { ...base, delayed: true },
      { ...base, service: 'juliet@example.com', publisherFullJid: 'juliet@example.com/balcony', notificationType: 'normal' },
      { ...base, kind: 'purge', items: undefined },
    ];
    for (const n of variants) {
      const t = new NotificationTemplate(n, 'nid');
      const pieces = t.spliced();
      for (const to of ["o'brien@example.com/x", 'bob@example.com']) {
        for (const [subids, replyTo] of [[[], false], [['s1'], true], [['s1', 's<2>'], false]] as const) {
          assert.equal(renderTemplate(pieces, to, t.inner(subids, replyTo)), t.render(to, subids, replyTo), `${n.kind} ${to} ${subids.join()}`);
        }
      }
    }
  });

  it('uses the shared part for a recipient that has none of its own', () => {
    const t = new NotificationTemplate({ ...base, delayed: true }, 'nid');
    assert.equal(renderTemplate(t.spliced(), 'a@example.com/r'), t.render('a@example.com/r', []));
  });
});
