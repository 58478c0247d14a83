// Node configuration (XEP-0060 section 16.4.4, pubsub#node_config FORM_TYPE; 4.3 event types; 7.1.2.5
// publish_node_full; 12.2x item expiry) and its defaults for generic services and PEP (XEP-0163
// section 7). Values arrive either typed or as data-form strings; one parser validates both, so
// create-and-configure, configure and publish-options share every rule.

import { PubsubErrors, fail, ok, type Result } from './result.js';

export type AccessModel = 'open' | 'presence' | 'roster' | 'authorize' | 'whitelist';
export type PublishModel = 'publishers' | 'subscribers' | 'open';
export type SendLastPublishedItem = 'never' | 'on_sub' | 'on_sub_and_presence';
export type NotificationType = 'headline' | 'normal';
export type PublishNodeFull = 'retract-oldest' | 'discard-oldest' | 'reject';
export type ItemReply = 'owner' | 'publisher' | 'none';

export interface NodeConfig {
  access_model: AccessModel;
  /** Stored, not applied: the service has no XSLT engine. */
  body_xslt: string;
  /** Collections (XEP-0248) are not supported yet: these are kept but have no effect on a leaf. */
  children: string[];
  children_association_policy: 'all' | 'owners' | 'whitelist';
  children_association_whitelist: string[];
  children_max: number | 'max';
  collection: string[];
  contact: string[];
  /** Stored, not applied. */
  dataform_xslt: string;
  deliver_notifications: boolean;
  deliver_payloads: boolean;
  description: string;
  /** Seconds after which an item is removed; 'max' for never. */
  item_expire: number | 'max';
  itemreply: ItemReply;
  language: string;
  /** 'max' means the service limit (EngineOptions.maxItemsLimit). */
  max_items: number | 'max';
  /** Bytes of the serialised payload. */
  max_payload_size: number;
  node_type: 'leaf' | 'collection';
  notification_type: NotificationType;
  notify_config: boolean;
  notify_delete: boolean;
  notify_retract: boolean;
  notify_sub: boolean;
  persist_items: boolean;
  presence_based_delivery: boolean;
  publish_model: PublishModel;
  publish_node_full: PublishNodeFull;
  purge_offline: boolean;
  roster_groups_allowed: string[];
  send_last_published_item: SendLastPublishedItem;
  subscribe: boolean;
  tempsub: boolean;
  title: string;
  type: string;
}

export type NodeConfigField = keyof NodeConfig;

type FieldSpec =
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'text' }
  | { kind: 'list' }
  | { kind: 'count' }
  | { kind: 'count-or-max' };

const bool = { kind: 'boolean' } as const;
const text = { kind: 'text' } as const;
const list = { kind: 'list' } as const;
const oneOf = (...values: string[]): FieldSpec => ({ kind: 'enum', values });

export const ACCESS_MODELS: readonly AccessModel[] = ['open', 'presence', 'roster', 'authorize', 'whitelist'];

const FIELDS: Record<NodeConfigField, FieldSpec> = {
  access_model: oneOf(...ACCESS_MODELS),
  body_xslt: text,
  children: list,
  children_association_policy: oneOf('all', 'owners', 'whitelist'),
  children_association_whitelist: list,
  children_max: { kind: 'count-or-max' },
  collection: list,
  contact: list,
  dataform_xslt: text,
  deliver_notifications: bool,
  deliver_payloads: bool,
  description: text,
  item_expire: { kind: 'count-or-max' },
  itemreply: oneOf('owner', 'publisher', 'none'),
  language: text,
  max_items: { kind: 'count-or-max' },
  max_payload_size: { kind: 'count' },
  node_type: oneOf('leaf', 'collection'),
  notification_type: oneOf('headline', 'normal'),
  notify_config: bool,
  notify_delete: bool,
  notify_retract: bool,
  notify_sub: bool,
  persist_items: bool,
  presence_based_delivery: bool,
  publish_model: oneOf('publishers', 'subscribers', 'open'),
  publish_node_full: oneOf('retract-oldest', 'discard-oldest', 'reject'),
  purge_offline: bool,
  roster_groups_allowed: list,
  send_last_published_item: oneOf('never', 'on_sub', 'on_sub_and_presence'),
  subscribe: bool,
  tempsub: bool,
  title: text,
  type: text,
};

export const NODE_CONFIG_FIELDS = Object.keys(FIELDS) as NodeConfigField[];

/** Defaults of a generic service (pubsub.<domain>): open, publishers-only, last item on sub and presence. */
export const GENERIC_NODE_DEFAULTS: Readonly<NodeConfig> = Object.freeze({
  access_model: 'open',
  body_xslt: '',
  children: [],
  children_association_policy: 'all',
  children_association_whitelist: [],
  children_max: 'max',
  collection: [],
  contact: [],
  dataform_xslt: '',
  deliver_notifications: true,
  deliver_payloads: true,
  description: '',
  item_expire: 'max',
  itemreply: 'none',
  language: '',
  max_items: 100,
  max_payload_size: 65536,
  node_type: 'leaf',
  notification_type: 'headline',
  notify_config: false,
  notify_delete: true,
  notify_retract: true,
  notify_sub: false,
  persist_items: true,
  presence_based_delivery: false,
  publish_model: 'publishers',
  publish_node_full: 'retract-oldest',
  purge_offline: false,
  roster_groups_allowed: [],
  send_last_published_item: 'on_sub_and_presence',
  subscribe: true,
  tempsub: false,
  title: '',
  type: '',
} satisfies NodeConfig) as Readonly<NodeConfig>;

/** XEP-0163 section 7: presence access, last item on subscription and presence; one item kept. */
export const PEP_NODE_DEFAULTS: Readonly<NodeConfig> = Object.freeze({
  ...GENERIC_NODE_DEFAULTS,
  access_model: 'presence',
  max_items: 1,
  send_last_published_item: 'on_sub_and_presence',
} satisfies NodeConfig) as Readonly<NodeConfig>;

/** Form field names may carry the 'pubsub#' prefix; FORM_TYPE is the handler's business. */
const fieldName = (key: string): string => (key.startsWith('pubsub#') ? key.slice(7) : key);

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function coerce(spec: FieldSpec, raw: unknown): { value: unknown } | undefined {
  const v = spec.kind === 'list' ? raw : first(raw);
  switch (spec.kind) {
    case 'boolean':
      if (v === true || v === 'true' || v === '1' || v === 1) return { value: true };
      if (v === false || v === 'false' || v === '0' || v === 0) return { value: false };
      return undefined;
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v) ? { value: v } : undefined;
    case 'text':
      return typeof v === 'string' ? { value: v } : v === undefined ? { value: '' } : undefined;
    case 'list':
      if (typeof v === 'string') return { value: v === '' ? [] : [v] };
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return { value: [...new Set(v as string[])] };
      return undefined;
    case 'count':
    case 'count-or-max':
      if (spec.kind === 'count-or-max' && v === 'max') return { value: 'max' };
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return { value: v };
      if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return { value: Number(v) };
      return undefined;
  }
}

export interface ParsedConfigFields {
  fields: Partial<NodeConfig>;
  /** Field names that are not node configuration fields. */
  unknown: string[];
}

/**
 * Parses configuration fields (typed values or data-form strings). A bad value is an error:
 * access_model gets not-acceptable + unsupported-access-model (XEP-0060 8.1.2), any other field
 * `invalid` (callers pass the condition their use case names).
 */
export function parseConfigFields(
  raw: Record<string, unknown>,
  invalid: (text: string) => ReturnType<typeof PubsubErrors.badRequest>,
): Result<ParsedConfigFields> {
  const fields: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'FORM_TYPE') continue;
    const name = fieldName(key);
    const spec = (FIELDS as Record<string, FieldSpec | undefined>)[name];
    if (!spec) {
      unknown.push(key);
      continue;
    }
    const parsed = coerce(spec, value);
    if (!parsed) {
      if (name === 'access_model') return fail(PubsubErrors.unsupportedAccessModel(`unknown access model ${String(first(value))}`));
      return fail(invalid(`invalid value for pubsub#${name}`));
    }
    fields[name] = parsed.value;
  }
  return ok({ fields: fields as Partial<NodeConfig>, unknown });
}

export interface ConfigLimits {
  maxItemsLimit: number;
  maxPayloadSizeLimit: number;
}

/** Checks a complete configuration against what this service implements and its limits. */
export function checkNodeConfig(config: NodeConfig, limits: ConfigLimits): Result<NodeConfig> {
  if (config.node_type !== 'leaf') return fail(PubsubErrors.unsupported('collections', 'collection nodes are not supported'));
  if (typeof config.max_items === 'number' && config.max_items > limits.maxItemsLimit) {
    return fail(PubsubErrors.configurationRejected(`pubsub#max_items above the service limit of ${limits.maxItemsLimit}`));
  }
  if (config.max_payload_size > limits.maxPayloadSizeLimit) {
    return fail(
      PubsubErrors.configurationRejected(`pubsub#max_payload_size above the service limit of ${limits.maxPayloadSizeLimit}`),
    );
  }
  return ok(config);
}

/** The number of items a node keeps: 'max' is the service limit; a transient node keeps the last one. */
export function effectiveMaxItems(config: NodeConfig, limits: ConfigLimits): number {
  if (!config.persist_items) return 1;
  return config.max_items === 'max' ? limits.maxItemsLimit : Math.min(config.max_items, limits.maxItemsLimit);
}

/** Whether a publish-options precondition holds for one field (XEP-0060 7.1.5): 'max' equals the limit. */
export function preconditionHolds(
  field: NodeConfigField,
  wanted: unknown,
  config: NodeConfig,
  limits: ConfigLimits,
): boolean {
  const actual = config[field];
  if (field === 'max_items') {
    const resolve = (v: unknown) => (v === 'max' ? limits.maxItemsLimit : v);
    return resolve(wanted) === resolve(actual);
  }
  if (Array.isArray(actual) && Array.isArray(wanted)) {
    return actual.length === wanted.length && [...actual].sort().join('\n') === [...wanted].sort().join('\n');
  }
  return actual === wanted;
}

/** A stored configuration with fields added since it was written taken from the defaults. */
export function configFromStored(stored: Record<string, unknown>, defaults: Readonly<NodeConfig>): NodeConfig {
  const config = { ...defaults } as Record<string, unknown>;
  for (const name of NODE_CONFIG_FIELDS) if (stored[name] !== undefined) config[name] = stored[name];
  return config as unknown as NodeConfig;
}

export function copyConfig(config: Readonly<NodeConfig>): NodeConfig {
  return structuredClone(config) as NodeConfig;
}
