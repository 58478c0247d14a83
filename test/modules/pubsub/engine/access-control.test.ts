// XEP-0060 section 4.1: the affiliation privilege table, as the capability table encodes it, and the
// node configuration and subscription option parsers of 16.4 that every use case relies on.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CAPABILITIES, may, transitionAllowed, type Action } from '../../../../src/modules/pubsub/engine/capabilities.js';
import { pubsubFeatures } from '../../../../src/modules/pubsub/engine/features.js';
import { GENERIC_NODE_DEFAULTS, parseConfigFields, preconditionHolds } from '../../../../src/modules/pubsub/engine/node-config.js';
import { PubsubErrors } from '../../../../src/modules/pubsub/engine/result.js';
import { parseSubscriptionOptions } from '../../../../src/modules/pubsub/engine/subscription-options.js';
import type { Affiliation } from '../../../../src/modules/pubsub/engine/types.js';

// Rows of table 4.1: Subscribe, Retrieve Items, Publish, Delete Single Item, Purge, Configure, Delete Node.
const TABLE_4_1: Record<Affiliation, boolean[]> = {
  owner: [true, true, true, true, true, true, true],
  publisher: [true, true, true, true, true, false, false],
  'publish-only': [false, false, true, true, false, false, false],
  member: [true, true, false, false, false, false, false],
  none: [true, false, false, false, false, false, false],
  outcast: [false, false, false, false, false, false, false],
};
const COLUMNS: Action[] = ['subscribe', 'get_items', 'publish', 'retract_own', 'purge', 'configure', 'delete'];

describe('XEP-0060 4.1 affiliations and their privileges', () => {
  for (const [affiliation, row] of Object.entries(TABLE_4_1) as [Affiliation, boolean[]][]) {
    it(`the ${affiliation} row of table 4.1 is the capability table`, () => {
      assert.deepEqual(COLUMNS.map((a) => may(affiliation, a)), row);
    });
  }

  it('only owners manage subscriptions and affiliations or act for others', () => {
    for (const affiliation of Object.keys(CAPABILITIES) as Affiliation[]) {
      const owner = affiliation === 'owner';
      assert.equal(may(affiliation, 'manage_subscriptions'), owner);
      assert.equal(may(affiliation, 'manage_affiliations'), owner);
      assert.equal(may(affiliation, 'act_for_others'), owner);
    }
  });

  it('the state chart lets an owner only resign and a publisher not become a member', () => {
    assert.deepEqual(['none', 'member', 'publisher', 'outcast'].map((to) => transitionAllowed('owner', to as Affiliation)), [true, false, false, false]);
    assert.equal(transitionAllowed('publisher', 'member'), false);
    assert.equal(transitionAllowed('member', 'publisher'), true);
  });

  it('PEP services advertise auto-subscribe and filtered-notifications on top of the generic features', () => {
    const generic = pubsubFeatures(false);
    assert.deepEqual(pubsubFeatures(true).filter((f) => !generic.includes(f)), ['auto-subscribe', 'filtered-notifications']);
    assert.ok(generic.includes('publish-options') && generic.includes('rsm') && !generic.includes('collections'));
  });

  it('publishers retract any item, publish-only entities only their own', () => {
    assert.equal(may('publisher', 'retract_any'), true);
    assert.equal(may('publish-only', 'retract_any'), false);
  });
});

describe('XEP-0060 16.4.4 node configuration fields', () => {
  it('data-form strings and typed values parse to the same configuration', () => {
    const fromForm = parseConfigFields(
      { 'pubsub#max_items': ['max'], 'pubsub#persist_items': '1', 'pubsub#contact': 'a@x', 'pubsub#item_expire': '60' },
      PubsubErrors.badRequest,
    );
    const typed = parseConfigFields({ max_items: 'max', persist_items: true, contact: ['a@x'], item_expire: 60 }, PubsubErrors.badRequest);
    assert.deepEqual(fromForm, typed);
  });

  it('unknown fields are reported, not applied', () => {
    const parsed = parseConfigFields({ 'pubsub#nope': 'x', FORM_TYPE: 'http://jabber.org/protocol/pubsub#node_config' }, PubsubErrors.badRequest);
    assert.deepEqual(parsed, { ok: true, value: { fields: {}, unknown: ['pubsub#nope'] } });
  });

  it('bad values are rejected with the caller\'s condition', () => {
    for (const bad of [{ max_items: '-1' }, { deliver_payloads: 'yes' }, { publish_model: 'anyone' }, { max_payload_size: 'max' }]) {
      const parsed = parseConfigFields(bad, PubsubErrors.invalidOptions);
      assert.equal(parsed.ok, false, JSON.stringify(bad));
      if (!parsed.ok) assert.equal(parsed.error.pubsub, 'invalid-options');
    }
  });

  it('list preconditions compare as sets', () => {
    const config = { ...GENERIC_NODE_DEFAULTS, roster_groups_allowed: ['a', 'b'] };
    const limits = { maxItemsLimit: 10, maxPayloadSizeLimit: 10 };
    assert.equal(preconditionHolds('roster_groups_allowed', ['b', 'a'], config, limits), true);
    assert.equal(preconditionHolds('roster_groups_allowed', ['a'], config, limits), false);
  });
});

describe('XEP-0060 16.4.2 subscription options', () => {
  it('every registered option is accepted from a form', () => {
    const parsed = parseSubscriptionOptions({
      'pubsub#deliver': 'false',
      'pubsub#digest': '1',
      'pubsub#digest_frequency': '60000',
      'pubsub#include_body': '0',
      'pubsub#expire': '2026-12-31T23:59:59Z',
      'pubsub#show-values': ['online', 'away'],
      'pubsub#subscription_type': 'items',
      'pubsub#subscription_depth': 'all',
    });
    assert.ok(parsed.ok);
    if (parsed.ok) {
      assert.deepEqual(parsed.value, {
        deliver: false, digest: true, digest_frequency: 60000, include_body: false, expire: '2026-12-31T23:59:59Z',
        'show-values': ['online', 'away'], subscription_type: 'items', subscription_depth: 'all',
      });
    }
  });

  it('nodes subscriptions (collections) and unknown show values are invalid options', () => {
    for (const bad of [{ subscription_type: 'nodes' }, { 'show-values': ['sleeping'] }, { subscription_depth: '2' }]) {
      const parsed = parseSubscriptionOptions(bad);
      assert.equal(parsed.ok ? 'ok' : parsed.error.pubsub, 'invalid-options');
    }
  });
});
