// The routing core of one XMPP domain: sessions, router, event bus, IQ dispatch and disco, wired
// together and handed to modules as their ModuleContext.

import { EventBus } from './event-bus.js';
import { SessionRegistry } from './session-registry.js';
import { IqDispatcher } from './iq-dispatcher.js';
import { DiscoRegistry } from './disco-registry.js';
import { Router } from './router.js';
import type { ModuleContext, ModuleStores } from './module-context.js';

export class Host implements ModuleContext {
  readonly bus = new EventBus();
  readonly sessions = new SessionRegistry();
  readonly iq = new IqDispatcher();
  readonly disco = new DiscoRegistry();
  readonly router: Router;
  readonly streamFeatures: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    readonly domain: string,
    readonly stores: ModuleStores,
    readonly normalizeJid: (jid: string) => string | undefined,
  ) {
    this.router = new Router({
      domain,
      bus: this.bus,
      sessions: this.sessions,
      iq: this.iq,
      normalizeJid,
      accountExists: (username) => stores.accounts.exists(username),
    });
  }

  addStreamFeature(serialised: string): void {
    this.streamFeatures.push(serialised);
  }

  every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
  }
}
