// The pubsub#subscribe_options form of XEP-0060 section 16.4.2: every registered field with label,
// type and options, for options retrieval (6.3.2), subscribe-and-configure results (6.3.7) and the
// default subscription options (6.4).

import type { Element } from '../../xml/element.js';
import { dataFormElement, type FormField } from '../../protocol/data-form.js';
import type { SubscriptionOptions } from './engine/subscription-options.js';
import { FORM_TYPES } from './submitted-form.js';

const SHOW_OPTIONS: [string, string][] = [
  ['away', 'XMPP Show Value of Away'],
  ['chat', 'XMPP Show Value of Chat'],
  ['dnd', 'XMPP Show Value of DND (Do Not Disturb)'],
  ['online', 'Mere Availability in XMPP (No Show Value)'],
  ['xa', 'XMPP Show Value of XA (Extended Away)'],
];

const bool = (b: boolean): string[] => [b ? '1' : '0'];

export function subscribeOptionsForm(options: SubscriptionOptions, type: 'form' | 'result'): Element {
  const opts = (list: [string, string][]) => (type === 'form' ? { options: list.map(([value, label]) => ({ value, label })) } : {});
  const fields: FormField[] = [
    { var: 'FORM_TYPE', type: 'hidden', values: [FORM_TYPES.subscribeOptions] },
    { var: 'pubsub#deliver', type: 'boolean', label: 'Whether an entity wants to receive or disable notifications', values: bool(options.deliver) },
    {
      var: 'pubsub#digest',
      type: 'boolean',
      label: 'Whether an entity wants to receive digests (aggregations) of notifications or all notifications individually',
      values: bool(options.digest),
    },
    {
      var: 'pubsub#digest_frequency',
      type: 'text-single',
      label: 'The minimum number of milliseconds between sending any two notification digests',
      values: [String(options.digest_frequency)],
    },
    {
      var: 'pubsub#expire',
      type: 'text-single',
      label: 'The DateTime at which a leased subscription will end or has ended, or `presence` for a temporary subscription',
      values: options.expire === '' ? [] : [options.expire],
    },
    {
      var: 'pubsub#include_body',
      type: 'boolean',
      label: 'Whether an entity wants to receive an XMPP message body in addition to the payload format',
      values: bool(options.include_body),
    },
    {
      var: 'pubsub#show-values',
      type: 'list-multi',
      label: 'The presence states for which an entity wants to receive notifications',
      values: [...options['show-values']],
      ...opts(SHOW_OPTIONS),
    },
    {
      var: 'pubsub#subscription_type',
      type: 'list-single',
      label: 'Type of notifications to receive',
      values: [options.subscription_type],
      ...opts([['items', 'Receive notification of new items only']]),
    },
    {
      var: 'pubsub#subscription_depth',
      type: 'list-single',
      label: 'Depth from subscription for which to receive notifications',
      values: [options.subscription_depth],
      ...opts([
        ['1', 'Receive notification from direct child nodes only'],
        ['all', 'Receive notification from all descendent nodes'],
      ]),
    },
  ];
  return dataFormElement({ type, fields });
}
