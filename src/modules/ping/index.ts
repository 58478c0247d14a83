// XEP-0199 both ways: the server answers pings (section 4.2), and pings clients that have been
// silent for a while (section 4.1); a client that does not answer in time is disconnected with
// connection-timeout, so dead TCP connections don't hold a presence forever.

import { randomBytes } from 'node:crypto';
import { NS } from '../../protocol/namespaces.js';
import type { ModuleContext } from '../../core/module-context.js';
import type { RoutedStanza } from '../../core/router.js';
import type { ClientSession } from '../../core/client-session.js';

export interface PingOptions {
  /** Ping a session after this long without traffic from it (0 disables client pings). */
  idleMs: number;
  /** How long the client has to answer. */
  timeoutMs: number;
}

export function pingModule(ctx: ModuleContext, opts: PingOptions = { idleMs: 0, timeoutMs: 0 }): void {
  ctx.disco.addFeature(NS.PING);
  ctx.iq.register('host', 'get', NS.PING, 'ping', () => undefined);
  if (opts.idleMs <= 0) return;

  const outstanding = new Map<string, { session: ClientSession; deadline: number }>();

  ctx.bus.on<RoutedStanza>(
    'iq/host',
    ({ stanza }) => {
      const type = stanza.attrs.type;
      if ((type === 'result' || type === 'error') && stanza.attrs.id && outstanding.delete(stanza.attrs.id)) return true;
      return false;
    },
    10,
  );

  ctx.every(Math.max(250, Math.min(opts.idleMs, opts.timeoutMs) / 2), () => {
    const now = Date.now();
    for (const [id, p] of outstanding) {
      if (p.session.closed) outstanding.delete(id);
      else if (p.session.lastActivity > p.deadline - opts.timeoutMs) outstanding.delete(id); // it spoke: alive
      else if (now >= p.deadline) {
        outstanding.delete(id);
        p.session.close('connection-timeout', 'No answer to ping');
      }
    }
    for (const session of ctx.sessions.all()) {
      if (now - session.lastActivity < opts.idleMs) continue;
      if ([...outstanding.values()].some((p) => p.session === session)) continue;
      const id = `ping-${randomBytes(6).toString('hex')}`;
      outstanding.set(id, { session, deadline: now + opts.timeoutMs });
      session.sendRaw(`<iq xmlns='${NS.CLIENT}' type='get' id='${id}' from='${ctx.domain}' to='${session.full}'><ping xmlns='${NS.PING}'/></iq>`);
    }
  });
}
