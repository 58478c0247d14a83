// RFC 6121 section 2: roster management shared by the roster IQ handlers and the presence
// subscription state machine; every change is pushed to the user's interested resources (2.1.6).

import { randomBytes } from 'node:crypto';
import { xml } from '../../xml/element.js';
import type { ModuleContext } from '../../core/module-context.js';
import type { RosterItem } from '../../storage/roster-store.js';
import { rosterItemElement, rosterQuery } from './roster-xml.js';

export class RosterService {
  constructor(private readonly ctx: ModuleContext) {}

  get(user: string, jid: string): Promise<RosterItem | undefined> {
    return this.ctx.stores.roster.getItem(user, jid);
  }

  async set(user: string, item: RosterItem): Promise<void> {
    const version = await this.ctx.stores.roster.setItem(user, item);
    this.push(user, version, rosterItemElement(item));
  }

  async remove(user: string, jid: string): Promise<void> {
    const version = await this.ctx.stores.roster.removeItem(user, jid);
    this.push(user, version, rosterItemElement({ jid, subscription: 'remove' }));
  }

  /** Sends a roster push to every resource of `user` that requested the roster. */
  private push(user: string, version: number, item: ReturnType<typeof rosterItemElement>): void {
    const bare = `${user}@${this.ctx.domain}`;
    for (const session of this.ctx.sessions.resourcesOf(bare)) {
      if (!session.interestedInRoster) continue;
      session.send(
        xml('iq', { type: 'set', id: `push-${randomBytes(4).toString('hex')}`, to: session.full }, rosterQuery(version, [item.clone()])),
      );
    }
  }
}
