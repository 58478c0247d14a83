// XEP-0199: XMPP ping, answered for the server (section 4.2) and for an account's bare JID.

import { NS } from '../../protocol/namespaces.js';
import type { ModuleContext } from '../../core/module-context.js';

export function pingModule(ctx: ModuleContext): void {
  ctx.disco.addFeature(NS.PING);
  ctx.iq.register('host', 'get', NS.PING, 'ping', () => undefined);
}
