// The pubsub#node_config form of XEP-0060 section 16.4.4 (every registered field with its label, type
// and options) used for configure (8.2), default configuration (8.3) and configuration notifications
// (8.2.5.3), and the pubsub#meta-data form of 5.4 / 16.4.3 (the configuration plus creator, creation
// date, owners, publishers and subscriber count).

import type { Element } from '../../xml/element.js';
import { dataFormElement, type FieldType, type FormField } from '../../protocol/data-form.js';
import { NODE_CONFIG_FIELDS, type NodeConfig, type NodeConfigField } from './engine/node-config.js';
import type { NodeMetadata } from './engine/types.js';
import { FORM_TYPES } from './submitted-form.js';

interface FieldDef {
  type: FieldType;
  label: string;
  options?: [value: string, label?: string][];
}

/** Languages offered for pubsub#language (list-single per 5.4); any other tag is kept when submitted. */
const LANGUAGES = ['en', 'de', 'es', 'fr', 'it', 'ja', 'nl', 'pl', 'pt', 'ru', 'sv', 'zh'];

const FIELD_DEFS: Record<NodeConfigField, FieldDef> = {
  access_model: {
    type: 'list-single',
    label: 'Who may subscribe and retrieve items',
    options: [
      ['authorize', 'Subscription requests must be approved and only subscribers may retrieve items'],
      ['open', 'Anyone may subscribe and retrieve items'],
      ['presence', 'Anyone with a presence subscription of both or from may subscribe and retrieve items'],
      ['roster', 'Anyone in the specified roster group(s) may subscribe and retrieve items'],
      ['whitelist', 'Only those on a whitelist may subscribe and retrieve items'],
    ],
  },
  body_xslt: { type: 'text-single', label: 'The URL of an XSL transformation which can be applied to payloads in order to generate an appropriate message body element (stored, not applied)' },
  children: { type: 'text-multi', label: 'The child nodes (leaf or collection) associated with a collection (collections are not supported)' },
  children_association_policy: {
    type: 'list-single',
    label: 'Who may associate leaf nodes with a collection',
    options: [
      ['all', 'Anyone may associate leaf nodes with the collection'],
      ['owners', 'Only collection node owners may associate leaf nodes with the collection'],
      ['whitelist', 'Only those on a whitelist may associate leaf nodes with the collection'],
    ],
  },
  children_association_whitelist: { type: 'jid-multi', label: 'The list of JIDs that may associate leaf nodes with a collection' },
  children_max: { type: 'text-single', label: 'The maximum number of child nodes that can be associated with a collection, or `max`' },
  collection: { type: 'text-multi', label: 'The collection(s) with which a node is affiliated (collections are not supported)' },
  contact: { type: 'jid-multi', label: 'The JIDs of those to contact with questions' },
  dataform_xslt: { type: 'text-single', label: 'The URL of an XSL transformation which can be applied to the payload format in order to generate a valid Data Forms result (stored, not applied)' },
  deliver_notifications: { type: 'boolean', label: 'Whether to deliver event notifications' },
  deliver_payloads: { type: 'boolean', label: 'Whether to deliver payloads with event notifications; applies only to leaf nodes' },
  description: { type: 'text-single', label: 'A description of the node' },
  item_expire: { type: 'text-single', label: 'Number of seconds after which to automatically purge items. `max` for no specific limit other than a server imposed maximum.' },
  itemreply: {
    type: 'list-single',
    label: 'Whether owners or publisher should receive replies to items',
    options: [
      ['owner', 'Statically specify a replyto of the node owner(s)'],
      ['publisher', 'Dynamically specify a replyto of the item publisher'],
      ['none', 'Do not include a publisher'],
    ],
  },
  language: { type: 'list-single', label: 'The default language of the node' },
  max_items: { type: 'text-single', label: 'The maximum number of items to persist. `max` for no specific limit other than a server imposed maximum.' },
  max_payload_size: { type: 'text-single', label: 'The maximum payload size in bytes' },
  node_type: { type: 'list-single', label: 'Whether the node is a leaf (default)', options: [['leaf', 'The node is a leaf node (default)']] },
  notification_type: {
    type: 'list-single',
    label: 'Specify the delivery style for notifications',
    options: [
      ['normal', 'Messages of type normal'],
      ['headline', 'Messages of type headline'],
    ],
  },
  notify_config: { type: 'boolean', label: 'Whether to notify subscribers when the node configuration changes' },
  notify_delete: { type: 'boolean', label: 'Whether to notify subscribers when the node is deleted' },
  notify_retract: { type: 'boolean', label: 'Whether to notify subscribers when items are removed from the node' },
  notify_sub: { type: 'boolean', label: 'Whether to notify owners about new subscribers and unsubscribes' },
  persist_items: { type: 'boolean', label: 'Whether to persist items to storage' },
  presence_based_delivery: { type: 'boolean', label: 'Whether to deliver notifications to available users only' },
  publish_model: {
    type: 'list-single',
    label: 'The publisher model',
    options: [
      ['publishers', 'Only publishers may publish'],
      ['subscribers', 'Subscribers may publish'],
      ['open', 'Anyone may publish'],
    ],
  },
  publish_node_full: {
    type: 'list-single',
    label: 'Action to be performed by the service when publishing on a full node.',
    options: [
      ['retract-oldest', 'Retract the oldest item alongside publishing the new item.'],
      ['discard-oldest', 'Discard the oldest item alongside publishing the new item.'],
      ['reject', 'Reject publication of the new item.'],
    ],
  },
  purge_offline: { type: 'boolean', label: 'Whether to purge all items when the relevant publisher goes offline' },
  roster_groups_allowed: { type: 'list-multi', label: 'The roster group(s) allowed to subscribe and retrieve items' },
  send_last_published_item: {
    type: 'list-single',
    label: 'When to send the last published item',
    options: [
      ['never', 'Never'],
      ['on_sub', 'When a new subscription is processed'],
      ['on_sub_and_presence', 'When a new subscription is processed and whenever a subscriber comes online'],
    ],
  },
  subscribe: { type: 'boolean', label: 'Whether to allow subscriptions' },
  tempsub: { type: 'boolean', label: 'Whether to make all subscriptions temporary, based on subscriber presence' },
  title: { type: 'text-single', label: 'A friendly name for the node' },
  type: { type: 'text-single', label: 'The semantic type information of data in the node, usually specified by the namespace of the payload (if any)' },
};

function values(value: NodeConfig[NodeConfigField]): string[] {
  if (Array.isArray(value)) return [...value];
  if (typeof value === 'boolean') return [value ? '1' : '0'];
  if (value === '') return [];
  return [String(value)];
}

function withOptions(def: FieldDef, field: FormField, extra: string[]): FormField {
  const options = def.options?.map(([value, label]) => (label ? { value, label } : { value }));
  if (options) return { ...field, options };
  const offered = field.var === 'pubsub#language' ? LANGUAGES : extra;
  if (def.type !== 'list-single' && def.type !== 'list-multi') return field;
  const all = [...new Set([...offered, ...field.values])];
  return { ...field, options: all.map((value) => ({ value })) };
}

/**
 * Every node configuration field with its current value. `rosterGroups` are offered as the options of
 * pubsub#roster_groups_allowed (the owner's roster groups).
 */
export function nodeConfigFields(config: NodeConfig, rosterGroups: string[] | undefined): FormField[] {
  return NODE_CONFIG_FIELDS.map((name) => {
    const def = FIELD_DEFS[name];
    const field: FormField = { var: `pubsub#${name}`, type: def.type, label: def.label, values: values(config[name]) };
    // Options belong to forms to be filled in; results only report values (XEP-0004 3.4).
    if (!rosterGroups) return field;
    return withOptions(def, field, name === 'roster_groups_allowed' ? rosterGroups : []);
  });
}

const hidden = (formType: string): FormField => ({ var: 'FORM_TYPE', type: 'hidden', values: [formType] });

/** The configuration form (type form for configure/default, result for notifications). */
export function nodeConfigForm(config: NodeConfig, type: 'form' | 'result', rosterGroups: string[] = []): Element {
  const fields = nodeConfigFields(config, type === 'form' ? rosterGroups : undefined);
  return dataFormElement({ type, fields: [hidden(FORM_TYPES.nodeConfig), ...fields] });
}

/** XEP-0082 DateTime without milliseconds. */
export function dateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The pubsub#meta-data form of a node's disco#info (XEP-0060 5.4, XEP-0128). */
export function metadataForm(meta: NodeMetadata): Element {
  const automatic: FormField[] = [
    { var: 'pubsub#creator', type: 'jid-single', label: 'The JID of the node creator', values: [meta.creator] },
    { var: 'pubsub#creation_date', type: 'text-single', label: 'The datetime when the node was created', values: [dateTime(meta.created)] },
    { var: 'pubsub#owner', type: 'jid-multi', label: 'The JIDs of those with an affiliation of owner', values: meta.owners },
    { var: 'pubsub#publisher', type: 'jid-multi', label: 'The JIDs of those with an affiliation of publisher', values: meta.publishers },
    { var: 'pubsub#num_subscribers', type: 'text-single', label: 'The number of subscribers to the node', values: [String(meta.numSubscribers)] },
  ];
  return dataFormElement({ type: 'result', fields: [hidden(FORM_TYPES.metaData), ...automatic, ...nodeConfigFields(meta.config, undefined)] });
}
