// DESIGN.md section 4 (cluster/): module state that lives in one process's memory, made visible to the
// others through two generic relays, so a module needs no cluster code of its own (it only fires events
// of its module API, src/core/module-context.ts):
//
// - Session flags ('session/flag'): a module's per-session switch (XEP-0280 'carbons' enabled, XEP-0191
//   'blocklist' requested). Flags of a local session travel in its session directory entry
//   (SessionInfo.flags, republished on each change); when another process's entry arrives with flags
//   that differ from what this process had, 'session/flag' fires here for that RemoteSession, so the
//   module treats it like a local one (copies, pushes).
// - Cached state ('cache/changed' → bus 'cache-changed' → 'cache/stale'): a module that committed a
//   change to something it caches by key tells the others, which drop that key. After a bus outage
//   every process marks everything stale, since changes made meanwhile were never announced.
//
// Both wait until Redis has sent the message to the other processes before the event resolves, so the
// IQ that made the change is answered only once the others were told.

import type { Host } from '../core/host.js';
import type { ClientSession } from '../core/client-session.js';
import type { CacheChangeEvent, CacheStaleEvent, SessionFlagEvent } from '../core/module-context.js';
import { log } from '../core/log.js';
import type { ClusterBus } from './cluster-bus.js';
import { RemoteSession } from './remote-sessions.js';

export const CACHE_CHANGED = 'cache-changed';

export interface ModuleStateRelay {
  /** A local session's flags for its directory entry (undefined when it has none). */
  flagsOf(session: ClientSession): string[] | undefined;
  /** Another process's entry for `session` arrived: fires 'session/flag' for each flag unlike `before`. */
  remoteUpdated(session: RemoteSession, before: readonly string[]): void;
  stop(): void;
}

export function relayModuleState(host: Host, bus: ClusterBus, republish: (session: ClientSession) => Promise<void>): ModuleStateRelay {
  const flags = new WeakMap<ClientSession, Set<string>>();

  const offs = [
    host.bus.on<SessionFlagEvent>(
      'session/flag',
      async ({ session, flag, on }) => {
        if (session instanceof RemoteSession) return;
        let set = flags.get(session);
        if (!set) flags.set(session, (set = new Set()));
        if (on === set.has(flag)) return;
        if (on) set.add(flag);
        else set.delete(flag);
        await republish(session);
        await bus.published();
      },
      -100,
    ),
    host.bus.on<CacheChangeEvent>('cache/changed', async ({ cache, key }) => {
      // Bus down: the others cannot be told now; they drop every cache when it is back (below).
      if (bus.broadcast({ t: CACHE_CHANGED, cache, key })) await bus.published();
    }),
  ];

  bus.on(CACHE_CHANGED, async (m) => {
    if (typeof m.cache !== 'string' || typeof m.key !== 'string') return;
    await host.bus.broadcast<CacheStaleEvent>('cache/stale', { cache: m.cache, key: m.key });
  });
  bus.onUp(() => {
    host.bus.broadcast<CacheStaleEvent>('cache/stale', {}).catch((err: unknown) => log.error({ err }, 'cluster: dropping module caches failed'));
  });

  return {
    flagsOf(session) {
      const set = flags.get(session);
      return set && set.size > 0 ? [...set] : undefined;
    },
    remoteUpdated(session, before) {
      const now = session.flags;
      const changes: SessionFlagEvent[] = [];
      for (const flag of now) if (!before.includes(flag)) changes.push({ session, flag, on: true });
      for (const flag of before) if (!now.includes(flag)) changes.push({ session, flag, on: false });
      for (const change of changes) {
        host.bus.broadcast('session/flag', change).catch((err: unknown) => log.error({ err, flag: change.flag }, 'cluster: session flag handler failed'));
      }
    },
    stop() {
      for (const off of offs) off();
    },
  };
}
