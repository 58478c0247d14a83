// XEP-0092: software version of the server.

import { xml } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import type { ModuleContext } from '../../core/module-context.js';

export function versionModule(ctx: ModuleContext, version: string): void {
  ctx.disco.addFeature(NS.VERSION);
  ctx.iq.register('host', 'get', NS.VERSION, 'query', () =>
    xml('query', { xmlns: NS.VERSION }, xml('name', {}, 'almanac'), xml('version', {}, version), xml('os', {}, `Node.js ${process.version}`)),
  );
}
