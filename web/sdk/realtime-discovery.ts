// Where the real-time API lives (DESIGN.md section 3): GET /api/v2/realtime names the XMPP domain, the
// BOSH and WebSocket URLs, the pubsub service, the user's feed node and the heartbeat node. A server
// without that route is still usable: the URLs then come from XEP-0156 host-meta (section 3, the JSON
// form /.well-known/host-meta.json), the node from the username, the domain from the caller or the host.

import { ApiError, type RestApi } from './rest-api.js';
import type { RealtimeInfo } from './types.js';

export interface ResolvedRealtime {
  username: string;
  domain: string;
  /** The account's bare JID. */
  jid: string;
  websocketUrl: string | undefined;
  boshUrl: string | undefined;
  pubsubService: string;
  node: string;
  heartbeatNode: string | undefined;
  heartbeatMinutes: number;
}

const WEBSOCKET_REL = 'urn:xmpp:alt-connections:websocket';
const BOSH_REL = 'urn:xmpp:alt-connections:xbosh';

/** The origin relative URLs are resolved against: baseUrl, else the page's own address. */
function origin(baseUrl: string): string {
  if (baseUrl !== '') return baseUrl;
  const here = (globalThis as { location?: { href: string } }).location?.href;
  if (!here) throw new Error('baseUrl is required outside a browser');
  return here;
}

/** An absolute URL; a relative WebSocket path takes ws:/wss: after the page's http:/https:. */
export function absoluteUrl(url: string, base: string, websocket: boolean): string {
  const resolved = new URL(url, base);
  if (websocket && (resolved.protocol === 'http:' || resolved.protocol === 'https:')) {
    resolved.protocol = resolved.protocol === 'https:' ? 'wss:' : 'ws:';
  }
  return resolved.toString();
}

async function hostMeta(baseUrl: string): Promise<{ websocket?: string; bosh?: string }> {
  const res = await fetch(new URL('/.well-known/host-meta.json', origin(baseUrl)));
  if (!res.ok) return {};
  const doc = (await res.json()) as { links?: Array<{ rel?: string; href?: string }> };
  const find = (rel: string) => doc.links?.find((l) => l.rel === rel)?.href;
  return { websocket: find(WEBSOCKET_REL), bosh: find(BOSH_REL) };
}

export async function discoverRealtime(rest: RestApi, baseUrl: string, overrides: Partial<RealtimeInfo> = {}): Promise<ResolvedRealtime> {
  const { username } = await rest.me();
  let served: Partial<RealtimeInfo> = {};
  try {
    served = await rest.realtime();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const links = await hostMeta(baseUrl).catch(() => ({}) as { websocket?: string; bosh?: string });
    served = { websocket_url: links.websocket, bosh_url: links.bosh };
  }
  const info = { ...served, ...overrides };
  const base = origin(baseUrl);
  const domain = info.domain ?? new URL(base).hostname;
  return {
    username,
    domain,
    jid: info.jid ?? `${username}@${domain}`,
    websocketUrl: info.websocket_url ? absoluteUrl(info.websocket_url, base, true) : undefined,
    boshUrl: info.bosh_url ? absoluteUrl(info.bosh_url, base, false) : undefined,
    pubsubService: info.pubsub_service ?? `pubsub.${domain}`,
    node: info.node ?? `feed/${username}`,
    heartbeatNode: info.heartbeat_node ?? undefined,
    heartbeatMinutes: info.heartbeat_minutes ?? 0,
  };
}
