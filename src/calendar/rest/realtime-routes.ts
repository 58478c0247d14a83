// GET /api/v2/realtime (DESIGN.md section 3): where a client finds the real-time API — the XMPP
// domain, the BOSH and WebSocket URLs (on the host the client used, as XEP-0156 host-meta does), the
// pubsub service, the caller's feed node and the heartbeat node.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiContext } from './api-context.js';

export interface RealtimeSettings {
  domain: string;
  pubsubService: string;
  heartbeatNode: string | undefined;
  heartbeatMinutes: number;
  /** Makes sure the caller's feed node exists before it is named (so subscribing works at once). */
  ensureFeed?(username: string): Promise<void>;
}

const nullableStr = { type: ['string', 'null'] };
const RealtimeInfo = {
  type: 'object',
  properties: {
    domain: { type: 'string' },
    jid: { type: 'string' },
    websocket_url: nullableStr,
    bosh_url: nullableStr,
    pubsub_service: { type: 'string' },
    node: { type: 'string' },
    heartbeat_node: nullableStr,
    heartbeat_minutes: { type: 'integer' },
  },
  required: ['domain', 'jid', 'websocket_url', 'bosh_url', 'pubsub_service', 'node', 'heartbeat_node', 'heartbeat_minutes'],
  additionalProperties: false,
};

function baseUrls(request: FastifyRequest): { http: string; ws: string } | undefined {
  const host = request.headers.host;
  if (!host || !/^[A-Za-z0-9.\-[\]:]+$/.test(host)) return undefined;
  const secure = (request.raw.socket as { encrypted?: boolean }).encrypted === true;
  return { http: `${secure ? 'https' : 'http'}://${host}`, ws: `${secure ? 'wss' : 'ws'}://${host}` };
}

export function realtimeRoutes(app: FastifyInstance, ctx: ApiContext, settings: RealtimeSettings): void {
  ctx.table.add(app, {
    method: 'GET',
    url: '/realtime',
    operationId: 'getRealtime',
    summary: 'Where the real-time (XMPP) API is and which feed node is yours',
    tag: 'users',
    responses: { 200: { description: 'Discovery of the real-time API', schema: RealtimeInfo } },
    handler: async (request) => {
      const user = ctx.user(request);
      await settings.ensureFeed?.(user);
      const urls = baseUrls(request);
      return {
        domain: settings.domain,
        jid: `${user}@${settings.domain}`,
        websocket_url: urls ? `${urls.ws}/xmpp-websocket` : null,
        bosh_url: urls ? `${urls.http}/http-bind` : null,
        pubsub_service: settings.pubsubService,
        node: `feed/${user}`,
        heartbeat_node: settings.heartbeatNode ?? null,
        heartbeat_minutes: settings.heartbeatMinutes,
      };
    },
  });
}
