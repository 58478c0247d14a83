// XEP-0156 section 3 (HTTP lookup method): /.well-known/host-meta (XRD, RFC 6415 section 3, required)
// and /.well-known/host-meta.json (JRD, optional) list the BOSH (XEP-0206) and WebSocket (RFC 7395
// section 4) endpoints, built from the Host the client used so that the links work behind any
// name or port. Browsers read them cross-origin, hence CORS.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeAttribute } from '../xml/escape.js';

export const XRD_NS = 'http://docs.oasis-open.org/ns/xri/xrd-1.0';
export const REL_BOSH = 'urn:xmpp:alt-connections:xbosh';
export const REL_WEBSOCKET = 'urn:xmpp:alt-connections:websocket';

export interface AltConnectionLink {
  rel: string;
  href: string;
}

export interface HostMetaOptions {
  /** Used when a request has no Host header (HTTP/1.0). */
  domain: string;
  boshPath?: string;
  websocketPath?: string;
  /** The Access-Control-Allow-Origin value for a request's Origin, or undefined for none. */
  corsOrigin(origin: string | undefined): string | undefined;
}

/** The links for a request that arrived over HTTPS (`secure`) or HTTP at `host` (host[:port]). */
export function alternativeConnections(
  secure: boolean,
  host: string,
  paths: { bosh: string; websocket: string } = { bosh: '/http-bind', websocket: '/xmpp-websocket' },
): AltConnectionLink[] {
  return [
    { rel: REL_BOSH, href: `${secure ? 'https' : 'http'}://${host}${paths.bosh}` },
    { rel: REL_WEBSOCKET, href: `${secure ? 'wss' : 'ws'}://${host}${paths.websocket}` },
  ];
}

export function hostMetaXrd(links: AltConnectionLink[]): string {
  let out = `<?xml version='1.0' encoding='utf-8'?>\n<XRD xmlns='${XRD_NS}'>\n`;
  for (const l of links) out += `  <Link rel='${escapeAttribute(l.rel)}' href='${escapeAttribute(l.href)}'/>\n`;
  return out + '</XRD>\n';
}

export function hostMetaJrd(links: AltConnectionLink[]): string {
  return JSON.stringify({ links }, null, 2) + '\n';
}

/** A Host header is a DNS name, IPv4 address or [IPv6] literal with an optional port (RFC 9110 7.2). */
const HOST_SHAPE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function registerHostMeta(app: FastifyInstance, options: HostMetaOptions): void {
  const paths = { bosh: options.boshPath ?? '/http-bind', websocket: options.websocketPath ?? '/xmpp-websocket' };

  const serve = (format: 'xrd' | 'jrd') => async (request: FastifyRequest, reply: FastifyReply) => {
    setCors(request, reply, options);
    const host = request.headers.host ?? options.domain;
    if (!HOST_SHAPE.test(host) || host.length > 261) {
      return reply.code(400).type('application/json; charset=utf-8').send({ error: 'bad_request', message: 'Invalid Host header' });
    }
    const links = alternativeConnections(request.protocol === 'https', host, paths);
    if (format === 'xrd') return reply.type('application/xrd+xml; charset=utf-8').send(hostMetaXrd(links));
    return reply.type('application/json; charset=utf-8').send(hostMetaJrd(links));
  };

  app.get('/.well-known/host-meta', serve('xrd'));
  app.get('/.well-known/host-meta.json', serve('jrd'));
  for (const url of ['/.well-known/host-meta', '/.well-known/host-meta.json']) {
    app.options(url, async (request, reply) => {
      setCors(request, reply, options);
      reply.header('Access-Control-Allow-Methods', 'GET, OPTIONS');
      reply.header('Access-Control-Max-Age', '86400');
      return reply.code(204).send();
    });
  }
}

function setCors(request: FastifyRequest, reply: FastifyReply, options: HostMetaOptions): void {
  const origin = request.headers.origin;
  const allowed = options.corsOrigin(origin);
  if (allowed !== undefined) reply.header('Access-Control-Allow-Origin', allowed);
  if (allowed !== '*') reply.header('Vary', 'Origin');
}
