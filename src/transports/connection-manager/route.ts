// XEP-0124 section 7.1 'route' ("proto:host:port", e.g. "xmpp:example.com:5222"; not a URI) and the terminal
// conditions of section 17.2 for it: a route without a usable value is 'improper-addressing', one naming a
// server this connection manager may not relay to is 'host-unknown'. Only the configured upstream and the
// hosts on connection_manager.route_allow are ever connected to, so 'route' cannot turn the connection
// manager into an open proxy.

import net from 'node:net';
import type { BoshCondition } from '../../protocol/xep0124.js';

export interface UpstreamTarget {
  readonly host: string;
  readonly port: number;
}

/** "host:port" with an IPv6 host in brackets; undefined when malformed. */
export function parseHostPort(value: string): UpstreamTarget | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):([0-9]{1,5})$/.exec(value.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (m[1] ?? m[2]!).toLowerCase(), port };
}

export function targetKey(target: UpstreamTarget): string {
  return `${target.host}:${target.port}`;
}

/** Loopback servers are on this machine: section 19.2 counts that link as secure, and certificates there are test ones. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

export type RouteDecision = { readonly ok: true; readonly target: UpstreamTarget } | { readonly ok: false; readonly condition: BoshCondition };

/** Where a session goes: `route` when given and allowed, else the upstream. */
export function resolveRoute(route: string | undefined, upstream: UpstreamTarget, allowed: readonly UpstreamTarget[]): RouteDecision {
  if (route === undefined) return { ok: true, target: upstream };
  const m = /^xmpp:(.+)$/.exec(route);
  const target = m ? parseHostPort(m[1]!) : undefined;
  if (!target) return { ok: false, condition: 'improper-addressing' };
  const key = targetKey(target);
  if (key === targetKey(upstream) || allowed.some((a) => targetKey(a) === key)) return { ok: true, target };
  return { ok: false, condition: 'host-unknown' };
}
