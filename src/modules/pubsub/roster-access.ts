// What the access models of XEP-0060 4.5 need to know about rosters (presence and roster models: the
// owner's roster item for the entity, subscription from/both, its groups; RFC 6121 2.1.2) and who may
// create nodes (8.1.1: config.pubsub.node_creators), for pubsub.<domain> and the PEP services alike.

import type { ModuleContext } from '../../core/module-context.js';
import type { AccessPolicy } from './engine/types.js';

export type NodeCreators = 'local' | 'admins' | 'anyone';

export class RosterAccess implements AccessPolicy {
  private readonly admins: ReadonlySet<string>;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly nodeCreators: NodeCreators,
    admins: readonly string[],
  ) {
    this.admins = new Set(admins);
  }

  /** The username of a local account's bare JID, or undefined for anything else. */
  localUser(bare: string): string | undefined {
    const at = bare.indexOf('@');
    if (at <= 0 || bare.includes('/') || bare.slice(at + 1) !== this.ctx.domain) return undefined;
    return bare.slice(0, at);
  }

  async hasPresenceSubscription(ownerBare: string, jidBare: string): Promise<boolean> {
    const owner = this.localUser(ownerBare);
    if (owner === undefined) return false;
    const item = await this.ctx.stores.roster.getItem(owner, jidBare);
    return item !== undefined && (item.subscription === 'from' || item.subscription === 'both');
  }

  async rosterGroupsOf(ownerBare: string, jidBare: string): Promise<string[]> {
    const owner = this.localUser(ownerBare);
    if (owner === undefined) return [];
    return (await this.ctx.stores.roster.getItem(owner, jidBare))?.groups ?? [];
  }

  /** The groups of an owner's whole roster, offered in the roster_groups_allowed field. */
  async groupsOfRoster(ownerBare: string): Promise<string[]> {
    const owner = this.localUser(ownerBare);
    if (owner === undefined) return [];
    const roster = await this.ctx.stores.roster.getRoster(owner);
    return [...new Set(roster.items.flatMap((i) => i.groups))].sort();
  }

  isLocalAccount(bare: string): boolean {
    return this.localUser(bare) !== undefined;
  }

  canCreateNodes(actorBare: string): boolean {
    if (this.admins.has(actorBare)) return true;
    switch (this.nodeCreators) {
      case 'anyone':
        return true;
      case 'local':
        return this.isLocalAccount(actorBare);
      case 'admins':
        return false;
    }
  }
}
