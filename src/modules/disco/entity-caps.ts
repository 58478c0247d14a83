// XEP-0115 section 5.1: the verification string of the server's own disco#info, advertised in
// stream features (section 6.3) so clients can cache what the server supports.

import { createHash } from 'node:crypto';
import { NS } from '../../protocol/namespaces.js';
import type { DiscoIdentity } from '../../core/disco-registry.js';

export const CAPS_NODE = 'https://github.com/almanac/almanac';

export function capsVerification(identities: DiscoIdentity[], features: Iterable<string>): string {
  const ids = identities.map((i) => `${i.category}/${i.type}//${i.name ?? ''}`).sort();
  const feats = [...new Set(features)].sort();
  const s = [...ids, ...feats].map((x) => x + '<').join('');
  return createHash('sha1').update(s, 'utf8').digest('base64');
}

export function capsFeature(identities: DiscoIdentity[], features: Iterable<string>): string {
  return `<c xmlns='${NS.CAPS}' hash='sha-1' node='${CAPS_NODE}' ver='${capsVerification(identities, features)}'/>`;
}
