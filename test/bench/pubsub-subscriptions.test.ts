// Reading an owner's subscriptions list (XEP-0060 section 8.8.1) to skip subscriptions a kept node
// already holds (bench/scenarios/pubsub-fixture.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { subscribedJids } from '../../bench/scenarios/pubsub-fixture.js';

describe('subscribedJids', () => {
  it('keeps subscribed entries whatever the attribute order, and drops pending ones', () => {
    const xml =
      "<iq type='result' id='q2'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><subscriptions node='n'>" +
      "<subscription jid='a@localhost/sub' subscription='subscribed'/>" +
      '<subscription subscription="subscribed" subid="x" jid="b@localhost/sub"/>' +
      "<subscription jid='c@localhost/sub' subscription='pending'/>" +
      '</subscriptions></pubsub></iq>';
    assert.deepEqual([...subscribedJids(xml)].sort(), ['a@localhost/sub', 'b@localhost/sub']);
  });
});
