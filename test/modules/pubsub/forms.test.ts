// The data forms of the pubsub stanza layer (XEP-0060 16.4.2 subscribe_options, 16.4.4 node_config,
// 5.4 meta-data; XEP-0004 3.2 submissions) and payload serialisation (7.1: a payload keeps the
// namespaces it inherited from the stanza).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument } from '../../../src/xml/parse-document.js';
import { parseDataForm } from '../../../src/protocol/data-form.js';
import { GENERIC_NODE_DEFAULTS, NODE_CONFIG_FIELDS, parseConfigFields, type NodeConfig } from '../../../src/modules/pubsub/engine/node-config.js';
import { PubsubErrors } from '../../../src/modules/pubsub/engine/result.js';
import { DEFAULT_SUBSCRIPTION_OPTIONS, parseSubscriptionOptions } from '../../../src/modules/pubsub/engine/subscription-options.js';
import { metadataForm, nodeConfigForm } from '../../../src/modules/pubsub/node-config-form.js';
import { subscribeOptionsForm } from '../../../src/modules/pubsub/subscribe-options-form.js';
import { standalonePayload } from '../../../src/modules/pubsub/raw-xml.js';
import { submittedForm } from '../../../src/modules/pubsub/submitted-form.js';
import { PubsubFailure } from '../../../src/modules/pubsub/pubsub-errors.js';

/** What a client submitting the form back unchanged would send, as the engine receives it. */
function resubmitted(x: ReturnType<typeof nodeConfigForm>): Record<string, string[]> {
  const form = parseDataForm(parseDocument(x.toString()));
  return Object.fromEntries(form.fields.filter((f) => f.var !== 'FORM_TYPE').map((f) => [f.var, f.values]));
}

const config = fc.record({
  access_model: fc.constantFrom('open', 'presence', 'roster', 'authorize', 'whitelist'),
  deliver_payloads: fc.boolean(),
  max_items: fc.oneof(fc.constant('max' as const), fc.integer({ min: 0, max: 1000 })),
  item_expire: fc.oneof(fc.constant('max' as const), fc.integer({ min: 0, max: 1_000_000 })),
  title: fc.string(),
  roster_groups_allowed: fc.uniqueArray(fc.string({ minLength: 1 }), { maxLength: 3 }),
  notification_type: fc.constantFrom('headline', 'normal'),
  send_last_published_item: fc.constantFrom('never', 'on_sub', 'on_sub_and_presence'),
});

describe('pubsub data forms', () => {
  it('the node_config form carries every field, and submitting it back unchanged yields the same configuration', () => {
    fc.assert(
      fc.property(config, (partial) => {
        // XML 1.0 cannot carry every code point: keep to characters a stanza may hold.
        fc.pre(/^[\u0020-\uD7FF\uE000-\uFFFD]*$/u.test(partial.title + partial.roster_groups_allowed.join('')));
        const original = { ...GENERIC_NODE_DEFAULTS, ...partial } as NodeConfig;
        const fields = resubmitted(nodeConfigForm(original, 'form', ['friends']));
        assert.deepEqual(Object.keys(fields).sort(), NODE_CONFIG_FIELDS.map((f) => `pubsub#${f}`).sort());
        const parsed = parseConfigFields(fields, PubsubErrors.badRequest);
        assert.ok(parsed.ok);
        assert.deepEqual({ ...GENERIC_NODE_DEFAULTS, ...parsed.value.fields }, original);
      }),
    );
  });

  it('the subscribe_options form round-trips through a submission', () => {
    const options = { ...DEFAULT_SUBSCRIPTION_OPTIONS, deliver: false, expire: 'presence', 'show-values': ['chat' as const, 'online' as const] };
    const form = parseDataForm(parseDocument(subscribeOptionsForm(options, 'form').toString()));
    const fields = Object.fromEntries(form.fields.filter((f) => f.var !== 'FORM_TYPE').map((f) => [f.var, f.values]));
    const parsed = parseSubscriptionOptions(fields);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, options);
  });

  it('the meta-data form reports creator, creation date, owners, publishers and subscriber count (5.4)', () => {
    const x = metadataForm({
      node: 'n',
      config: GENERIC_NODE_DEFAULTS,
      creator: 'a@example.com',
      created: Date.UTC(2003, 6, 29, 22, 56, 10),
      owners: ['a@example.com'],
      publishers: ['b@example.com', 'c@example.com'],
      numSubscribers: 1066,
    });
    const form = parseDataForm(parseDocument(x.toString()));
    const value = (name: string) => form.fields.find((f) => f.var === name)?.values;
    assert.equal(form.type, 'result');
    assert.deepEqual(value('FORM_TYPE'), ['http://jabber.org/protocol/pubsub#meta-data']);
    assert.deepEqual(value('pubsub#creation_date'), ['2003-07-29T22:56:10Z']);
    assert.deepEqual(value('pubsub#publisher'), ['b@example.com', 'c@example.com']);
    assert.deepEqual(value('pubsub#num_subscribers'), ['1066']);
    assert.deepEqual(value('pubsub#access_model'), ['open']);
  });

  it('a submission of another FORM_TYPE, or a form that is not a submission, is bad-request; cancel only where allowed', () => {
    const wrap = (x: string) => parseDocument(`<configure xmlns='http://jabber.org/protocol/pubsub#owner'>${x}</configure>`);
    const nodeConfig = 'http://jabber.org/protocol/pubsub#node_config';
    const other = wrap(`<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:other</value></field></x>`);
    assert.throws(() => submittedForm(other, nodeConfig), (e: unknown) => e instanceof PubsubFailure && e.spec.condition === 'bad-request');
    const result = wrap(`<x xmlns='jabber:x:data' type='result'/>`);
    assert.throws(() => submittedForm(result, nodeConfig), PubsubFailure);
    const cancel = wrap(`<x xmlns='jabber:x:data' type='cancel'/>`);
    assert.throws(() => submittedForm(cancel, nodeConfig), PubsubFailure);
    assert.deepEqual(submittedForm(cancel, nodeConfig, true), { cancelled: true, fields: {} });
    assert.equal(submittedForm(wrap(''), nodeConfig), undefined);
  });

  it('a payload serialised alone keeps the default namespace and prefixes it inherited', () => {
    const iq = parseDocument(
      `<iq xmlns='jabber:client' xmlns:geo='urn:geo'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item><entry><geo:lat>1</geo:lat></entry></item></publish></pubsub></iq>`,
    );
    const entry = iq.getChild('pubsub')!.getChild('publish')!.getChild('item')!.getChildElements()[0]!;
    const { xml, namespace } = standalonePayload(entry);
    assert.equal(namespace, 'http://jabber.org/protocol/pubsub');
    const reparsed = parseDocument(xml);
    assert.equal(reparsed.getNS(), 'http://jabber.org/protocol/pubsub');
    assert.equal(reparsed.getChildElements()[0]!.getNS(), 'urn:geo');
  });

  it('a payload that declares its own namespace is serialised as it came', () => {
    const item = parseDocument(`<item xmlns='http://jabber.org/protocol/pubsub'><tune xmlns='http://jabber.org/protocol/tune'><title>x</title></tune></item>`);
    assert.equal(standalonePayload(item.getChildElements()[0]!).xml, `<tune xmlns='http://jabber.org/protocol/tune'><title>x</title></tune>`);
  });
});
