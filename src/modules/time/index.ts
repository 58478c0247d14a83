// XEP-0202: entity time of the server (UTC, so the offset is always Z).

import { xml } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import type { ModuleContext } from '../../core/module-context.js';

export function timeModule(ctx: ModuleContext): void {
  ctx.disco.addFeature(NS.TIME);
  ctx.iq.register('host', 'get', NS.TIME, 'time', () =>
    xml('time', { xmlns: NS.TIME }, xml('tzo', {}, '+00:00'), xml('utc', {}, new Date().toISOString().replace(/\.\d+Z$/, 'Z'))),
  );
}
