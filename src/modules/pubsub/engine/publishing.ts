// Publisher use cases (XEP-0060 7.1 publish: event types of 4.3, every 7.1.3 error, auto-create 7.1.4,
// publish-options preconditions 7.1.5, publish_node_full 7.1.2.5, batches 12.13; 7.2 retract with
// notify). A publish writes its items (each one insert plus the deletes of evicted items), resolves
// only after the store committed them, then notifies once.

import { may } from './capabilities.js';
import { bareOf, type EngineContext } from './engine-context.js';
import {
  effectiveMaxItems,
  parseConfigFields,
  preconditionHolds,
  type NodeConfigField,
} from './node-config.js';
import { buildConfig, insertNode, mayCreateNodes } from './node-configuration.js';
import type { NodeState } from './node-state.js';
import type { NotifiedItem } from './notification.js';
import { subscriberRecipients } from './recipients.js';
import { PubsubErrors, fail, ok, type PubsubError, type Result } from './result.js';
import type { Affiliation, PublishItem } from './types.js';

export interface PublishOutcome {
  node: string;
  /** The ids of the published items, generated ones included, in request order. */
  itemIds: string[];
}

function isSubscribed(state: NodeState, actor: string): boolean {
  return state.subscriptionsOfBare(bareOf(actor)).some((s) => s.state === 'subscribed');
}

/** Publishers per table 4.1, widened by publish_model subscribers / open (16.4.4). */
function mayPublish(state: NodeState, affiliation: Affiliation, actor: string): boolean {
  if (affiliation === 'outcast') return false;
  if (may(affiliation, 'publish')) return true;
  if (state.config.publish_model === 'open') return true;
  return state.config.publish_model === 'subscribers' && isSubscribed(state, actor);
}

/** The event-type rules of 4.3 and 7.1.3.6, payload size 7.1.3.4 and payload type 7.1.3.5. */
function checkItems(ctx: EngineContext, state: NodeState, items: PublishItem[]): PubsubError | undefined {
  const { persist_items: persistent, deliver_payloads: payloads } = state.config;
  if (items.length === 0) {
    if (persistent) return PubsubErrors.itemRequired();
    if (payloads) return PubsubErrors.payloadRequired();
    return undefined;
  }
  if (!persistent && !payloads) return PubsubErrors.itemForbidden();
  if (items.length > effectiveMaxItems(state.config, ctx.limits)) return PubsubErrors.maxItemsExceeded();
  for (const item of items) {
    const payload = item.payload ?? '';
    if (payloads && payload === '') return PubsubErrors.payloadRequired();
    if (Buffer.byteLength(payload) > state.config.max_payload_size) return PubsubErrors.payloadTooBig();
    if (state.config.type !== '' && item.namespace !== undefined && item.namespace !== state.config.type) {
      return PubsubErrors.invalidPayload(`payload namespace is not ${state.config.type}`);
    }
  }
  return undefined;
}

/** Parses publish-options: bad values are invalid-options; a field the service does not know cannot be met. */
function parsePreconditions(raw: Record<string, unknown> | undefined): Result<Record<string, unknown>> {
  if (!raw) return ok({});
  const parsed = parseConfigFields(raw, PubsubErrors.invalidOptions);
  if (!parsed.ok) return parsed;
  if (parsed.value.unknown.length > 0) {
    return fail(PubsubErrors.preconditionNotMet(`unknown publish option ${parsed.value.unknown[0]}`));
  }
  return ok(parsed.value.fields as Record<string, unknown>);
}

async function nodeForPublish(
  ctx: EngineContext,
  actor: string,
  node: string,
  preconditions: Record<string, unknown>,
  rawOptions: Record<string, unknown> | undefined,
): Promise<Result<NodeState>> {
  const state = await ctx.node(node);
  if (state) {
    for (const [field, wanted] of Object.entries(preconditions)) {
      if (!preconditionHolds(field as NodeConfigField, wanted, state.config, ctx.limits)) {
        return fail(PubsubErrors.preconditionNotMet(`pubsub#${field} differs`));
      }
    }
    return ok(state);
  }
  if (!ctx.options.autoCreate) return fail(PubsubErrors.nodeNotFound());
  const actorBare = bareOf(actor);
  if (!mayCreateNodes(ctx, actorBare)) return fail(PubsubErrors.forbidden('not allowed to create nodes'));
  // A missing node is created with the preconditions as its configuration (7.1.5 rule 3).
  const config = buildConfig(ctx, ctx.defaults, rawOptions);
  if (!config.ok) return config;
  return insertNode(ctx, actorBare, node, config.value);
}

export async function publish(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  items: PublishItem[],
  publishOptions?: Record<string, unknown>,
): Promise<Result<PublishOutcome>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  const preconditions = parsePreconditions(publishOptions);
  if (!preconditions.ok) return preconditions;
  return ctx.exclusive(node, async (): Promise<Result<PublishOutcome>> => {
    const found = await nodeForPublish(ctx, actor, node, preconditions.value, publishOptions);
    if (!found.ok) return found;
    const state = found.value;
    const actorBare = bareOf(actor);
    if (!mayPublish(state, ctx.affiliation(state, actorBare), actor)) return fail(PubsubErrors.forbidden());
    const invalid = checkItems(ctx, state, items);
    if (invalid) return fail(invalid);

    const keep = effectiveMaxItems(state.config, ctx.limits);
    if (state.config.publish_node_full === 'reject' && state.itemCount + items.length > keep) {
      const given = items.map((i) => i.id).filter((id): id is string => !!id);
      const existing = new Set((await ctx.store.getItems(ctx.service, node, given)).map((i) => i.id));
      const newIds = new Set<string>();
      let generated = 0;
      for (const item of items) {
        if (!item.id) generated++;
        else if (!existing.has(item.id)) newIds.add(item.id);
      }
      if (state.itemCount + generated + newIds.size > keep) return fail(PubsubErrors.nodeFull());
    }

    const published = ctx.now();
    const notified: NotifiedItem[] = [];
    const evicted: string[] = [];
    for (const item of items) {
      const id = item.id || ctx.newId();
      const payload = item.payload ?? '';
      const put = await ctx.store.putItem(
        { service: ctx.service, node, id, payload, publisher: actorBare, published },
        state.itemCount + 1 > keep ? keep : undefined,
      );
      state.itemCount += (put.replaced ? 0 : 1) - put.evicted.length;
      evicted.push(...put.evicted);
      notified.push({
        id,
        ...(state.config.deliver_payloads ? { payload } : {}),
        ...(state.config.itemreply === 'publisher' ? { publisher: actorBare } : {}),
        published,
      });
    }

    const recipients = await subscriberRecipients(ctx, state);
    ctx.notify({
      kind: 'items',
      service: ctx.service,
      node,
      items: notified,
      ...(actor.includes('/') ? { publisherFullJid: actor } : {}),
      notificationType: state.config.notification_type,
      recipients,
    });
    const retracted = evicted.filter((id) => !notified.some((n) => n.id === id));
    if (retracted.length > 0 && state.config.publish_node_full === 'retract-oldest' && state.config.notify_retract) {
      ctx.notify({ kind: 'retract', service: ctx.service, node, retracted, notificationType: state.config.notification_type, recipients });
    }
    return ok({ node, itemIds: notified.map((n) => n.id) });
  });
}

export async function retract(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  itemIds: string[],
  notify: boolean,
): Promise<Result<{ retracted: string[] }>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  if (itemIds.length === 0 || itemIds.some((id) => !id)) return fail(PubsubErrors.itemRequired());
  return ctx.exclusive(node, async (): Promise<Result<{ retracted: string[] }>> => {
    const state = await ctx.node(node);
    if (!state) return fail(PubsubErrors.nodeNotFound());
    const actorBare = bareOf(actor);
    const affiliation = ctx.affiliation(state, actorBare);
    if (affiliation === 'outcast') return fail(PubsubErrors.forbidden());
    if (!state.config.persist_items) return fail(PubsubErrors.unsupported('persistent-items'));
    const ids = [...new Set(itemIds)];
    const stored = await ctx.store.getItems(ctx.service, node, ids);
    if (stored.length < ids.length) return fail(PubsubErrors.itemNotFound());
    const ownOnly = !may(affiliation, 'retract_any');
    const mayRetractOwn = may(affiliation, 'retract_own') || mayPublish(state, affiliation, actor);
    if (ownOnly && !(mayRetractOwn && stored.every((i) => i.publisher === actorBare))) {
      return fail(PubsubErrors.forbidden('may not retract these items'));
    }
    const deleted = await ctx.store.deleteItems(ctx.service, node, ids);
    state.itemCount -= deleted.length;
    if (notify || state.config.notify_retract) {
      ctx.notify({
        kind: 'retract',
        service: ctx.service,
        node,
        retracted: deleted,
        notificationType: state.config.notification_type,
        recipients: await subscriberRecipients(ctx, state),
      });
    }
    return ok({ retracted: deleted });
  });
}
