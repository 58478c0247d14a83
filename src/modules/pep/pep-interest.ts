// XEP-0163 section 4 for one account: who is implicitly subscribed to its PEP nodes. The account's own
// resources, and the available resources of contacts with a presence subscription to it ('from' or
// 'both' on its roster, XEP-0060 9.1.2), each only for the nodes its entity capabilities ask for with
// '<node>+notify' (9.2). The roster is read again before each use of the account's service, since the
// engine asks synchronously while it computes recipients.

import type { ClientSession } from '../../core/client-session.js';
import type { ModuleContext } from '../../core/module-context.js';
import type { InterestView } from '../pubsub/engine/types.js';
import type { CapsCache } from './caps-cache.js';

export class PepInterest implements InterestView {
  /** Bare JIDs with a presence subscription to the account, as of the last refresh. */
  private sharers: ReadonlySet<string> = new Set();

  constructor(
    private readonly ctx: ModuleContext,
    private readonly caps: CapsCache,
    readonly account: string,
  ) {}

  async refresh(): Promise<void> {
    const user = this.account.slice(0, this.account.indexOf('@'));
    const roster = await this.ctx.stores.roster.getRoster(user);
    this.sharers = new Set(roster.items.filter((i) => i.subscription === 'from' || i.subscription === 'both').map((i) => i.jid));
  }

  /** The account itself or a contact that sees its presence. */
  sharesPresence(bare: string): boolean {
    return bare === this.account || this.sharers.has(bare);
  }

  private wants(session: ClientSession, node: string): boolean {
    return this.caps.featuresOf(session)?.has(`${node}+notify`) ?? false;
  }

  interestedResources(node: string): string[] {
    const out: string[] = [];
    for (const bare of [this.account, ...this.sharers]) {
      for (const session of this.ctx.sessions.availableResourcesOf(bare)) if (this.wants(session, node)) out.push(session.full);
    }
    return out;
  }

  isInterested(fullJid: string, node: string): boolean {
    const session = this.ctx.sessions.get(fullJid);
    if (!session?.available) return false;
    return this.sharesPresence(session.bare) && this.wants(session, node);
  }
}
