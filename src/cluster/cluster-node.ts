// One process of an almanac cluster (DESIGN.md section 4, cluster/): publishes its sessions to the
// Redis session directory and the bus, mirrors everyone else's as RemoteSessions in the host's session
// registry, delivers stanzas that other processes forward to its sessions, resolves resource conflicts
// across processes (RFC 6120 7.7.2.2: the older session gets <conflict/>), and cleans up after a
// process that died: a survivor generates unavailable presence for its sessions (RFC 6121 4.5.1:
// "the server MUST ... broadcast unavailable presence on behalf of the user") and removes its entries.

import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Host } from '../core/host.js';
import type { ClientSession } from '../core/client-session.js';
import type { SessionEvent } from '../core/module-context.js';
import type { StreamErrorCondition } from '../protocol/stream-error.js';
import { log } from '../core/log.js';
import type { Element } from '../xml/element.js';
import { parseDocument } from '../xml/parse-document.js';
import { ClusterBus, type BusMessage } from './cluster-bus.js';
import { SessionDirectory, type SessionInfo } from './session-directory.js';
import { RemoteSession, RemoteSessions, type RemoteLink, type WireRecipient } from './remote-sessions.js';
import { renderTemplate } from '../core/stanza-template.js';
import type { StanzaTemplate } from '../core/session-registry.js';
import type { StreamManagementRegistry } from '../stream/stream-management.js';
import { SessionHandover } from './session-handover.js';
import { relayModuleState } from './module-state-relay.js';

export interface ClusterOptions {
  redisUrl: string;
  /** How often this process refreshes its heartbeat and looks for dead processes (default 1000 ms). */
  heartbeatMs?: number;
  /** A process whose heartbeat is this old is dead (default 5 heartbeats). */
  deadAfterMs?: number;
  nodeId?: string;
  /** XEP-0198 resumable sessions of this process, which clients may resume on another (session-handover.ts). */
  streamManagement?: StreamManagementRegistry;
}

export interface Cluster {
  readonly nodeId: string;
  readonly bus: ClusterBus;
  /** Whether Redis is reachable (cross-process delivery works). */
  readonly up: boolean;
  stop(): Promise<void>;
}

export async function startCluster(host: Host, options: ClusterOptions): Promise<Cluster> {
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const deadAfterMs = options.deadAfterMs ?? heartbeatMs * 5;
  const nodeId = options.nodeId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const prefix = `almanac:${host.domain}:`;
  let upSince = 0;
  /** When each other process last showed a sign of life to us. */
  const lastSeen = new Map<string, number>();

  const bus: ClusterBus = new ClusterBus(options.redisUrl, nodeId, prefix, {
    up: () => {
      upSince = Date.now();
      void resynchronise();
    },
    down: () => undefined,
    unheard: (node, messages) => unheard(node, messages),
  });
  const directory = new SessionDirectory(bus.commands, prefix);

  const link: RemoteLink = {
    get up() {
      return bus.up;
    },
    forward: (node, full, serialised) => bus.send(node, { t: 'deliver', to: full, xml: serialised }),
    forwardTemplate: (node, template, recipients) => bus.send(node, { t: 'deliver-template', template, recipients }),
    close: (node, full, streamId, condition, text) => void bus.send(node, { t: 'close', full, streamId, condition, text }),
    refuse: (stanza) => {
      // Presence is never answered with an error here; IQs and messages are (RFC 6120 8.3.1 allows it).
      if (stanza.name === 'presence') return;
      host.router.bounce(stanza, 'service-unavailable', undefined, 'The cluster bus (Redis) is unavailable');
    },
  };
  const remote = new RemoteSessions(link);
  host.sessions.remote = remote;

  const infoOf = (s: ClientSession): SessionInfo => ({
    full: s.full,
    node: nodeId,
    streamId: s.streamId,
    available: s.available,
    priority: s.priority,
    presence: s.presence?.toString(),
    caps: s.caps,
    flags: relay.flagsOf(s),
  });

  const publish = async (s: ClientSession): Promise<void> => {
    if (s instanceof RemoteSession || s.closed || !bus.up) return;
    const info = infoOf(s);
    const previous = await directory.put(info).catch(() => undefined);
    bus.broadcast({ t: 'session', info });
    // The JID was held by a session on another process: that older session loses (RFC 6120 7.7.2.2).
    if (previous && previous.node !== nodeId) {
      bus.send(previous.node, { t: 'close', full: previous.full, streamId: previous.streamId, condition: 'conflict', text: 'Replaced by a new connection with the same resource' });
    }
  };

  // Modules' session flags and cache invalidations (carbons, block lists) reach the other processes.
  const relay = relayModuleState(host, bus, publish);
  const handover = options.streamManagement
    ? new SessionHandover(host, bus, directory, remote, link, options.streamManagement, (s) => relay.flagsOf(s))
    : undefined;

  const unpublish = async (s: ClientSession): Promise<void> => {
    if (s instanceof RemoteSession || !bus.up) return;
    await directory.remove(s.full, s.streamId).catch(() => undefined);
    bus.broadcast({ t: 'gone', full: s.full, streamId: s.streamId });
  };

  const offHooks = [
    host.bus.on<SessionEvent>('session-bound', ({ session }) => void publish(session), -100),
    host.bus.on<SessionEvent>('session-resumed', ({ session }) => void publish(session), -100),
    host.bus.on<SessionEvent>('presence/initial', ({ session }) => void publish(session), -100),
    host.bus.on<SessionEvent>('presence/updated', ({ session }) => void publish(session), -100),
    host.bus.on<SessionEvent>('presence/unavailable', ({ session }) => void publish(session), -100),
    host.bus.on<SessionEvent>('session-ended', ({ session }) => void unpublish(session), -100),
  ];

  bus.on('session', (m) => {
    const info = m.info as SessionInfo;
    lastSeen.set(info.node, Date.now());
    const before = remote.get(info.full);
    const had = before && before.streamId === info.streamId && before.node === info.node ? before.flags : [];
    relay.remoteUpdated(remote.upsert(info), had);
  });
  bus.on('gone', (m) => void remote.remove(m.full as string, m.streamId as string));
  bus.on('dead', (m) => void remote.dropNode(m.node as string));
  bus.on('deliver', (m) => {
    lastSeen.set(m.from, Date.now());
    deliver(m.to as string, m.xml as string);
  });
  bus.on('deliver-template', (m) => {
    lastSeen.set(m.from, Date.now());
    const template = m.template as StanzaTemplate;
    // The sender serialised the stanza once for all of this process's recipients; each gets its own `to`.
    for (const r of m.recipients as WireRecipient[]) {
      deliver(r.s, renderTemplate(template, r.to ?? r.s, r.part));
    }
  });
  bus.on('close', (m) => {
    const session = host.sessions.getLocal(m.full as string);
    if (!session || (m.streamId !== undefined && session.streamId !== m.streamId)) return;
    session.close(m.condition as StreamErrorCondition | undefined, m.text as string | undefined);
  });

  /** A stanza forwarded to one of our sessions; if it ended meanwhile, the rules for a gone resource apply. */
  function deliver(to: string, serialised: string): void {
    const session = host.sessions.getLocal(to);
    if (session && !session.closed) {
      // Roster interest (RFC 6121 2.1.6) changes without an event, so other processes push to every
      // resource and the holder drops pushes for those that never asked for the roster.
      if (!session.interestedInRoster && isRosterPush(serialised)) return;
      session.sendRaw(serialised);
      return;
    }
    // A resumable session moving between processes (XEP-0198 5) is passed on or waited for.
    if (handover?.deliver(to, serialised)) return;
    goneResource(to, serialised);
  }

  /**
   * RFC 6121 8.5.3.2.1: a message for a resource that is gone goes to the account; anything else is
   * answered with an error by the usual rules. Only messages are re-routed, and only from here, so a
   * stale view on two processes cannot bounce a stanza between them for ever.
   */
  function goneResource(to: string, serialised: string): void {
    let stanza: Element;
    try {
      stanza = parseDocument(serialised);
    } catch {
      return;
    }
    const type = stanza.attrs.type;
    if (stanza.name === 'message' && type !== 'error' && type !== 'groupchat') {
      const bare = to.slice(0, to.indexOf('/'));
      void host.router.deliverMessageToBare({ stanza, from: stanza.attrs.from ?? host.domain, to: bare, toBare: bare, toResource: undefined });
    } else if (stanza.name === 'iq') {
      host.router.bounce(stanza, 'service-unavailable');
    }
  }

  /**
   * Stanzas sent to a process that no longer listens (it died; its heartbeat has not expired yet): its
   * sessions leave this process's view at once, and the stanzas are treated as for resources that are
   * gone, so a message reaches another resource or offline storage instead of vanishing.
   */
  function unheard(node: string, messages: BusMessage[]): void {
    const dropped = remote.dropNode(node);
    log.warn({ node, messages: messages.length, sessions: dropped.length }, 'cluster: a process did not receive its messages; its sessions are treated as gone');
    for (const m of messages) {
      if (m.t === 'deliver') goneResource(m.to as string, m.xml as string);
      else if (m.t === 'deliver-template') {
        const template = m.template as StanzaTemplate;
        for (const r of m.recipients as WireRecipient[]) goneResource(r.s, renderTemplate(template, r.to ?? r.s, r.part));
      }
    }
  }

  /** After start or an outage: our sessions back into the directory, everyone else's re-read. */
  async function resynchronise(): Promise<void> {
    try {
      await directory.beat(nodeId, deadAfterMs);
      for (const s of host.sessions.all()) if (!s.closed) await publish(s);
      const infos = await directory.all();
      remote.clear();
      for (const info of infos) if (info.node !== nodeId) relay.remoteUpdated(remote.upsert(info), []);
      log.info({ node: nodeId, remoteSessions: infos.length }, 'cluster: session directory synchronised');
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'cluster: synchronisation failed; retried on the next reconnect');
    }
  }

  /** Heartbeat, and cleanup after processes whose heartbeat expired. */
  let sweeping = false;
  async function sweep(): Promise<void> {
    if (!bus.up || sweeping) return;
    sweeping = true;
    try {
      await directory.beat(nodeId, deadAfterMs);
      const now = Date.now();
      // Right after a reconnect the others may not have refreshed their heartbeat yet.
      if (now - upSince < deadAfterMs) return;
      const nodes = new Set((await directory.all()).map((i) => i.node));
      for (const n of remote.nodes()) nodes.add(n);
      nodes.delete(nodeId);
      for (const node of nodes) {
        if (await directory.isAlive(node)) {
          lastSeen.set(node, now);
          continue;
        }
        if (now - (lastSeen.get(node) ?? 0) < deadAfterMs) continue;
        if (await directory.claimCleanup(node, nodeId)) await cleanUpAfter(node);
      }
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'cluster: sweep failed');
    } finally {
      sweeping = false;
    }
  }

  async function cleanUpAfter(node: string): Promise<void> {
    const infos = await directory.dropNode(node);
    const mirrored = remote.dropNode(node);
    const sessions = new Map<string, RemoteSession>();
    for (const s of mirrored) sessions.set(s.full, s);
    for (const info of infos) if (!sessions.has(info.full)) sessions.set(info.full, new RemoteSession(info, node, link));
    bus.broadcast({ t: 'dead', node });
    log.warn({ node, sessions: sessions.size }, 'cluster: a process stopped answering; its sessions are ended on its behalf');
    for (const s of sessions.values()) {
      s.closed = true;
      // The presence module sends unavailable presence for it to contacts and own resources everywhere.
      await host.bus.broadcast('session-ended', { session: s });
    }
  }

  const timer = setInterval(() => void sweep(), heartbeatMs);
  timer.unref();
  await bus.start();

  return {
    nodeId,
    bus,
    get up() {
      return bus.up;
    },
    async stop() {
      clearInterval(timer);
      handover?.stop();
      for (const off of offHooks) off();
      relay.stop();
      if (bus.up) {
        // A clean stop tells the others at once instead of leaving them to notice the silence.
        for (const s of host.sessions.all()) await unpublish(s);
        await directory.forget(nodeId).catch(() => undefined);
      }
      host.sessions.remote = undefined;
      remote.clear();
      await bus.stop();
    },
  };
}

function isRosterPush(serialised: string): boolean {
  return serialised.startsWith('<iq') && serialised.includes('jabber:iq:roster') && /type=['"]set['"]/.test(serialised.slice(0, 200));
}

/**
 * Timing knobs without a configuration key (tests shorten them): ALMANAC_CLUSTER_HEARTBEAT_MS and
 * ALMANAC_CLUSTER_DEAD_AFTER_MS.
 */
export function clusterTuningFromEnvironment(env: NodeJS.ProcessEnv = process.env): Pick<ClusterOptions, 'heartbeatMs' | 'deadAfterMs'> {
  const read = (name: string) => {
    const n = Number(env[name]);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  };
  return { heartbeatMs: read('ALMANAC_CLUSTER_HEARTBEAT_MS'), deadAfterMs: read('ALMANAC_CLUSTER_DEAD_AFTER_MS') };
}
