// Subscription options (XEP-0060 section 6.3 and 16.4.2, pubsub#subscribe_options FORM_TYPE; 12.4
// temporary subscriptions with expire=presence; 12.18 leases with an expire dateTime). Digests are
// accepted and kept but notifications are always sent one by one.

import { PubsubErrors, fail, ok, type Result } from './result.js';

export type ShowValue = 'away' | 'chat' | 'dnd' | 'online' | 'xa';
export const SHOW_VALUES: readonly ShowValue[] = ['away', 'chat', 'dnd', 'online', 'xa'];

export interface SubscriptionOptions {
  deliver: boolean;
  digest: boolean;
  /** Milliseconds between digests. */
  digest_frequency: number;
  include_body: boolean;
  /** 'presence' (temporary subscription), an XEP-0082 dateTime (lease end), or '' for none. */
  expire: string;
  'show-values': ShowValue[];
  subscription_type: 'items' | 'nodes';
  subscription_depth: '1' | 'all';
}

export const DEFAULT_SUBSCRIPTION_OPTIONS: Readonly<SubscriptionOptions> = Object.freeze({
  deliver: true,
  digest: false,
  digest_frequency: 86_400_000,
  include_body: false,
  expire: '',
  'show-values': [...SHOW_VALUES],
  subscription_type: 'items',
  subscription_depth: '1',
});

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

function parseBool(v: unknown): boolean | undefined {
  v = first(v);
  if (v === true || v === 'true' || v === '1' || v === 1) return true;
  if (v === false || v === 'false' || v === '0' || v === 0) return false;
  return undefined;
}

/** XEP-0082 dateTime (with zone) or the literal 'presence'. */
function parseExpire(v: unknown): string | undefined {
  v = first(v);
  if (v === undefined || v === '') return '';
  if (typeof v !== 'string') return undefined;
  if (v === 'presence') return v;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return undefined;
  return Number.isNaN(Date.parse(v)) ? undefined : v;
}

/**
 * Applies submitted options (typed or data-form strings, with or without the 'pubsub#' prefix) on top
 * of `base`. Unknown fields and bad values give bad-request + invalid-options (XEP-0060 6.3.5.2).
 */
export function parseSubscriptionOptions(
  raw: Record<string, unknown>,
  base: Readonly<SubscriptionOptions> = DEFAULT_SUBSCRIPTION_OPTIONS,
): Result<SubscriptionOptions> {
  const out: SubscriptionOptions = { ...base, 'show-values': [...base['show-values']] };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'FORM_TYPE') continue;
    const name = key.startsWith('pubsub#') ? key.slice(7) : key;
    const bad = () => fail<SubscriptionOptions>(PubsubErrors.invalidOptions(`invalid value for pubsub#${name}`));
    switch (name) {
      case 'deliver':
      case 'digest':
      case 'include_body': {
        const b = parseBool(value);
        if (b === undefined) return bad();
        out[name] = b;
        break;
      }
      case 'digest_frequency': {
        const v = first(value);
        const n = typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : v;
        if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return bad();
        out.digest_frequency = n;
        break;
      }
      case 'expire': {
        const x = parseExpire(value);
        if (x === undefined) return bad();
        out.expire = x;
        break;
      }
      case 'show-values': {
        const list = typeof value === 'string' ? [value] : value;
        if (!Array.isArray(list) || !list.every((s) => SHOW_VALUES.includes(s as ShowValue))) return bad();
        out['show-values'] = [...new Set(list as ShowValue[])];
        break;
      }
      case 'subscription_type': {
        // Only leaf nodes exist here, and a leaf node delivers items (XEP-0248 defines 'nodes').
        if (first(value) !== 'items') return bad();
        out.subscription_type = 'items';
        break;
      }
      case 'subscription_depth': {
        const v = first(value);
        if (v !== '1' && v !== 'all') return bad();
        out.subscription_depth = v;
        break;
      }
      default:
        return fail(PubsubErrors.invalidOptions(`unknown subscription option ${key}`));
    }
  }
  return ok(out);
}

/** Stored options with fields added since they were written taken from the defaults. */
export function optionsFromStored(stored: Record<string, unknown>): SubscriptionOptions {
  return { ...DEFAULT_SUBSCRIPTION_OPTIONS, ...(stored as Partial<SubscriptionOptions>) };
}

/** The lease end in ms, or undefined for no lease (expire '' or 'presence'). */
export function leaseEnd(options: SubscriptionOptions): number | undefined {
  if (options.expire === '' || options.expire === 'presence') return undefined;
  return Date.parse(options.expire);
}

export function sameOptions(a: SubscriptionOptions, b: SubscriptionOptions): boolean {
  return (
    a.deliver === b.deliver &&
    a.digest === b.digest &&
    a.digest_frequency === b.digest_frequency &&
    a.include_body === b.include_body &&
    a.expire === b.expire &&
    [...a['show-values']].sort().join() === [...b['show-values']].sort().join() &&
    a.subscription_type === b.subscription_type &&
    a.subscription_depth === b.subscription_depth
  );
}
