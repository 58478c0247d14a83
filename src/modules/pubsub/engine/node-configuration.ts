// Creating and configuring nodes (XEP-0060 8.1 create, instant nodes, create-and-configure; 8.2
// configure with notify_config; 8.3 default configuration). Configuration forms follow XEP-0004:
// fields the service does not know are ignored, bad values make the whole submission fail.

import { bareOf, type EngineContext } from './engine-context.js';
import {
  checkNodeConfig,
  copyConfig,
  effectiveMaxItems,
  parseConfigFields,
  type NodeConfig,
} from './node-config.js';
import { NodeState } from './node-state.js';
import { subscriberRecipients } from './recipients.js';
import { PubsubErrors, fail, ok, type Result } from './result.js';
import { revokeLostAccess } from './subscription-records.js';

/** Parses a configuration submission on top of `base` and checks it against the service. */
export function buildConfig(
  ctx: EngineContext,
  base: Readonly<NodeConfig>,
  raw: Record<string, unknown> | undefined,
): Result<NodeConfig> {
  const config = copyConfig(base);
  if (raw) {
    const parsed = parseConfigFields(raw, PubsubErrors.configurationRejected);
    if (!parsed.ok) return parsed;
    Object.assign(config, parsed.value.fields);
  }
  return checkNodeConfig(config, ctx.limits);
}

export function mayCreateNodes(ctx: EngineContext, actorBare: string): boolean {
  if (ctx.isServiceAdmin(actorBare)) return true;
  return !ctx.options.pep && ctx.access.canCreateNodes(actorBare);
}

/** Writes a new node; the caller holds the node's lock and has checked the creator's rights. */
export async function insertNode(
  ctx: EngineContext,
  creatorBare: string,
  name: string,
  config: NodeConfig,
): Promise<Result<NodeState>> {
  if (await ctx.node(name)) return fail(PubsubErrors.nodeExists());
  if (Number.isFinite(ctx.options.maxNodes) && (await ctx.store.countNodes(ctx.service)) >= ctx.options.maxNodes) {
    return fail(PubsubErrors.maxNodesExceeded());
  }
  const created = ctx.now();
  const record = { service: ctx.service, node: name, config: { ...config }, created, creator: creatorBare };
  if (!(await ctx.store.createNode(record, creatorBare))) return fail(PubsubErrors.nodeExists());
  const state = new NodeState(name, config, created, creatorBare, 0, ctx.now);
  state.setAffiliation(creatorBare, 'owner');
  ctx.remember(state);
  return ok(state);
}

export async function createNode(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  rawConfig?: Record<string, unknown>,
): Promise<Result<{ node: string; config: NodeConfig }>> {
  const actorBare = bareOf(actor);
  if (!mayCreateNodes(ctx, actorBare)) return fail(PubsubErrors.forbidden('not allowed to create nodes'));
  let name = node;
  if (name === undefined || name === '') {
    if (!ctx.options.instantNodes) return fail(PubsubErrors.instantNodesUnsupported());
    name = ctx.newId();
  }
  const config = buildConfig(ctx, ctx.defaults, rawConfig);
  if (!config.ok) return config;
  const nodeName = name;
  return ctx.exclusive(nodeName, async () => {
    const created = await insertNode(ctx, actorBare, nodeName, config.value);
    return created.ok ? ok({ node: nodeName, config: copyConfig(created.value.config) }) : created;
  });
}

export function getDefaultConfig(ctx: EngineContext): Result<NodeConfig> {
  return ok(copyConfig(ctx.defaults));
}

/** The node, when it exists and the actor owns it (8.2.3 error order: node, then privileges). */
export async function ownedNode(ctx: EngineContext, actor: string, node: string | undefined): Promise<Result<NodeState>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  const state = await ctx.node(node);
  if (!state) return fail(PubsubErrors.nodeNotFound());
  if (ctx.affiliation(state, bareOf(actor)) !== 'owner') return fail(PubsubErrors.forbidden('only owners may do this'));
  return ok(state);
}

export async function getNodeConfig(ctx: EngineContext, actor: string, node: string | undefined): Promise<Result<NodeConfig>> {
  const state = await ownedNode(ctx, actor, node);
  return state.ok ? ok(copyConfig(state.value.config)) : state;
}

export async function configureNode(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  rawConfig: Record<string, unknown>,
): Promise<Result<NodeConfig>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  return ctx.exclusive(node, async () => {
    const owned = await ownedNode(ctx, actor, node);
    if (!owned.ok) return owned;
    const state = owned.value;
    const next = buildConfig(ctx, state.config, rawConfig);
    if (!next.ok) return next;
    const before = state.config;
    await ctx.store.updateNodeConfig(ctx.service, node, { ...next.value });
    state.config = next.value;

    const keep = effectiveMaxItems(state.config, ctx.limits);
    if (state.itemCount > keep) {
      const evicted = await ctx.store.trimItems(ctx.service, node, keep);
      state.itemCount -= evicted.length;
    }
    const accessChanged =
      before.access_model !== state.config.access_model ||
      before.roster_groups_allowed.join('\n') !== state.config.roster_groups_allowed.join('\n');
    if (accessChanged) await revokeLostAccess(ctx, state);

    if (state.config.notify_config) {
      ctx.notify({
        kind: 'configuration',
        service: ctx.service,
        node,
        ...(state.config.deliver_payloads ? { config: copyConfig(state.config) } : {}),
        notificationType: state.config.notification_type,
        recipients: await subscriberRecipients(ctx, state),
      });
    }
    return ok(copyConfig(state.config));
  });
}
