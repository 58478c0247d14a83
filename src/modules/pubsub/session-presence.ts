// Presence as the pubsub engine sees it (XEP-0060 12.7 presence-based delivery, 6.3 show-values, 12.4
// temporary subscriptions): read from the local sessions and the show of their last broadcast presence
// (RFC 6121 4.7.2.1).

import type { ModuleContext } from '../../core/module-context.js';
import type { PresenceView } from './engine/types.js';

type Show = 'away' | 'chat' | 'dnd' | 'online' | 'xa';
const SHOWS = new Set(['away', 'chat', 'dnd', 'xa']);

export class SessionPresence implements PresenceView {
  constructor(private readonly ctx: ModuleContext) {}

  isAvailable(jid: string): boolean {
    return this.ctx.sessions.isAvailable(jid);
  }

  availableResources(bare: string): string[] {
    return this.ctx.sessions.availableResourcesOf(bare).map((s) => s.full);
  }

  showOf(fullJid: string): Show | undefined {
    const session = this.ctx.sessions.get(fullJid);
    if (!session?.available) return undefined;
    const show = session.presence?.getChildText('show')?.trim();
    return show !== undefined && SHOWS.has(show) ? (show as Show) : 'online';
  }
}
