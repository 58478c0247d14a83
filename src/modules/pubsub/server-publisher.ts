// The server as a publisher (DESIGN.md section 3: the calendar feed publishes one item per affected
// user on feed/<user>, whitelist access, the user its only member, the server the only publisher). The
// server's domain is a service admin, so it may create, configure and publish to any node; each call
// resolves once the store committed (XEP-0060 7.1: the item is durable before anyone is notified).

import type { PubsubEngine } from './engine/engine.js';
import type { NodeConfig } from './engine/node-config.js';
import type { PubsubError, Result } from './engine/result.js';
import type { Affiliation } from './engine/types.js';

export interface ServerNodeOptions {
  /** Configuration for the node when it has to be created (an existing node keeps its own). */
  config?: Partial<NodeConfig>;
  /**
   * Affiliations the node must have: entities with no affiliation get the one given here; an
   * affiliation an owner set since is left alone.
   */
  affiliations?: Record<string, Exclude<Affiliation, 'none'>>;
}

/** A refused server-side request, with the XEP-0060 error pair the engine gave. */
export class ServerPublishError extends Error {
  constructor(readonly error: PubsubError) {
    super(`pubsub: ${error.condition}${error.pubsub ? `/${error.pubsub}` : ''}${error.text ? `: ${error.text}` : ''}`);
    this.name = 'ServerPublishError';
  }
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new ServerPublishError(result.error);
  return result.value;
}

/** The namespace of a serialised payload's root element (for pubsub#type checks). */
function rootNamespace(payload: string): string | undefined {
  const open = /^\s*<([^\s/>]+)([^>]*)>/.exec(payload);
  if (!open) return undefined;
  const colon = open[1]!.indexOf(':');
  const attr = colon === -1 ? 'xmlns' : `xmlns:${open[1]!.slice(0, colon)}`;
  const m = new RegExp(`\\s${attr.replace(':', '\\:')}\\s*=\\s*(['"])(.*?)\\1`).exec(open[2]!);
  return m?.[2];
}

export class ServerPublisher {
  constructor(
    private readonly engine: PubsubEngine,
    /** The server's domain: the actor of every call. */
    private readonly actor: string,
  ) {}

  /** Creates the node if it does not exist and gives the listed entities their affiliations. */
  async ensureNode(node: string, options: ServerNodeOptions = {}): Promise<void> {
    const created = await this.engine.createNode(this.actor, node, options.config);
    if (!created.ok && created.error.condition !== 'conflict') throw new ServerPublishError(created.error);
    if (!options.affiliations) return;
    const current = new Map(value(await this.engine.getNodeAffiliations(this.actor, node)).map((a) => [a.jid, a.affiliation]));
    const missing = Object.entries(options.affiliations)
      .filter(([jid]) => !current.has(jid))
      .map(([jid, affiliation]) => ({ jid, affiliation }));
    if (missing.length > 0) value(await this.engine.setNodeAffiliations(this.actor, node, missing));
  }

  /**
   * Publishes one item (its payload a serialised XML element) and resolves with its ItemID once it is
   * stored; with options, the node is first created and affiliated as they say.
   */
  async publish(node: string, itemId: string | undefined, payloadXml: string, options?: ServerNodeOptions): Promise<string> {
    if (options) await this.ensureNode(node, options);
    const namespace = rootNamespace(payloadXml);
    const item = { ...(itemId ? { id: itemId } : {}), payload: payloadXml, ...(namespace ? { namespace } : {}) };
    return value(await this.engine.publish(this.actor, node, [item])).itemIds[0]!;
  }

  /** Retracts items, notifying subscribers when `notify` (or the node's notify_retract) says so. */
  async retract(node: string, itemIds: string[], notify = true): Promise<void> {
    value(await this.engine.retract(this.actor, node, itemIds, notify));
  }

  /** Deletes a node and everything in it; a missing node is not an error. */
  async deleteNode(node: string, redirect?: string): Promise<void> {
    const deleted = await this.engine.deleteNode(this.actor, node, redirect);
    if (!deleted.ok && deleted.error.condition !== 'item-not-found') throw new ServerPublishError(deleted.error);
  }
}
