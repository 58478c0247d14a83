// The calendar feed's view of the pubsub service: publish as the server (creating and affiliating the
// node the first time this process publishes to it) and read a node's newest item.

import type { PubsubModule } from './index.js';
import type { ServerNodeOptions } from './server-publisher.js';

export interface ServerFeedNodes {
  ensure(node: string, options: { config: Record<string, unknown>; affiliations?: Record<string, 'member' | 'publisher' | 'owner'> }): Promise<void>;
  publish(
    node: string,
    itemId: string,
    payloadXml: string,
    options: { config: Record<string, unknown>; affiliations?: Record<string, 'member' | 'publisher' | 'owner'> },
  ): Promise<string>;
  newestPayload(node: string): Promise<string | undefined>;
}

/** `domain` is the server's own address, a service admin of pubsub.<domain>. */
export function serverFeedNodes(pubsub: PubsubModule, domain: string): ServerFeedNodes {
  const ensured = new Set<string>();
  return {
    async ensure(node, options) {
      if (ensured.has(node)) return;
      await pubsub.ensureNodeAsServer(node, options as ServerNodeOptions);
      ensured.add(node);
    },
    async publish(node, itemId, payloadXml, options) {
      // Node creation and affiliations are settled once per node and process, not per item.
      const first = !ensured.has(node);
      const id = await pubsub.publishAsServer(node, itemId, payloadXml, first ? (options as ServerNodeOptions) : undefined);
      ensured.add(node);
      return id;
    },
    async newestPayload(node) {
      const page = await pubsub.engine.getItems(domain, node, { maxItems: 1 });
      return page.ok ? page.value.items[0]?.payload : undefined;
    },
  };
}
