// RFC 6120 section 10 (server rules for processing XML stanzas) and RFC 6121 section 8 (delivery
// rules by stanza kind, type and priority). The router reads only top-level attributes; payloads
// are the business of the modules that hook its events:
//   '<kind>/host' | '<kind>/bare' | '<kind>/full'  (kind: message | presence | iq)
//   'presence/broadcast'  (presence without `to`)    'message/offline' (no available resource)
//   'stanza/outbound'  (what a local client sends, before it goes anywhere: XEP-0191 blocking,
//                       XEP-0280 sent carbons)
//   'stanza/inbound'   (addressed to a local account, before delivery: XEP-0191 blocking)
//   'message/delivered' (notification: the sessions a message reached: XEP-0280 received carbons)
// A handler returning true has taken the stanza; otherwise the defaults below apply.

import { log } from './log.js';
import { stanzaErrorFor } from './stanza-error.js';
import type { Element } from '../xml/element.js';
import { errorReply, mayReplyWithError, type StanzaErrorSpec } from '../protocol/stanza-error.js';
import type { EventBus } from './event-bus.js';
import type { ClientSession } from './client-session.js';
import type { SessionRegistry } from './session-registry.js';
import type { IqDispatcher } from './iq-dispatcher.js';

export interface RoutedStanza {
  stanza: Element;
  /** Sender, normalised full or bare JID (or a service domain). */
  from: string;
  /** Recipient, normalised; the sender's bare JID when the stanza had no `to`. */
  to: string;
  toBare: string;
  toResource: string | undefined;
  origin?: ClientSession;
}

/** The 'message/delivered' notification: a message and the local-account sessions it was sent to. */
export interface DeliveredMessage extends RoutedStanza {
  recipients: ClientSession[];
}

/** A service domain of this server (pubsub.<domain>, a component, ...). */
export interface Service {
  readonly domain: string;
  handle(stanza: Element, from: string): Promise<void> | void;
}

export interface RouterDeps {
  domain: string;
  bus: EventBus;
  sessions: SessionRegistry;
  iq: IqDispatcher;
  /** Normalises a JID string (RFC 7622), undefined when invalid. */
  normalizeJid(jid: string): string | undefined;
  accountExists(username: string): Promise<boolean>;
}

export class Router {
  private readonly services = new Map<string, Service>();

  constructor(private readonly deps: RouterDeps) {}

  get domain(): string {
    return this.deps.domain;
  }

  addService(service: Service): void {
    this.services.set(service.domain, service);
  }

  removeService(domain: string): void {
    this.services.delete(domain);
  }

  serviceDomains(): string[] {
    return [...this.services.keys()];
  }

  /** A stanza from a local client: `from` was already stamped by the stream engine. */
  async fromClient(session: ClientSession, stanza: Element): Promise<void> {
    return this.route(stanza, session);
  }

  /**
   * Routes a stanza whose `from` is trustworthy (set by the server or stamped for a client).
   * Never throws: failures become error replies to the sender.
   */
  async route(stanza: Element, origin?: ClientSession): Promise<void> {
    const from = stanza.attrs.from ?? this.deps.domain;
    const rawTo = stanza.attrs.to;
    let to: string;
    if (rawTo === undefined || rawTo === '') {
      if (stanza.name === 'presence' && origin) {
        await this.deps.bus.emit('presence/broadcast', { stanza, from, origin });
        return;
      }
      // RFC 6120 10.3: no `to` means the sender's own account (its bare JID).
      to = bareOf(from);
    } else {
      const normalized = this.deps.normalizeJid(rawTo);
      if (normalized === undefined) {
        this.bounce(stanza, 'jid-malformed', origin);
        return;
      }
      to = normalized;
    }

    const slash = to.indexOf('/');
    const toBare = slash === -1 ? to : to.slice(0, slash);
    const toResource = slash === -1 ? undefined : to.slice(slash + 1);
    const at = toBare.indexOf('@');
    const toDomain = at === -1 ? toBare : toBare.slice(at + 1);
    const routed: RoutedStanza = { stanza, from, to, toBare, toResource, origin };

    try {
      if (origin && (await this.deps.bus.emit('stanza/outbound', routed))) return;
      if (toDomain !== this.deps.domain) {
        const service = this.services.get(toDomain);
        if (service && at === -1 && toResource === undefined) {
          await service.handle(stanza, from);
          return;
        }
        if (service) {
          // Addresses below a service (node@pubsub..., resources) are the service's to answer too.
          await service.handle(stanza, from);
          return;
        }
        // No server-to-server federation yet (DESIGN.md section 1).
        this.bounce(stanza, 'remote-server-not-found', origin);
        return;
      }
      const target = at === -1 ? 'host' : toResource === undefined ? 'bare' : 'full';
      if (target === 'host' && toResource !== undefined) {
        // domain/resource: addressed to the server itself (RFC 6120 10.4.1 treats it as the host).
      }
      if (target !== 'host' && (await this.deps.bus.emit('stanza/inbound', routed))) return;
      if (await this.deps.bus.emit(`${stanza.name}/${target}`, routed)) return;
      await this.deliverDefault(routed, target);
    } catch (err) {
      log.error({ err, stanza: stanza.name }, 'routing failed');
      // A storage outage says "wait and retry" (RFC 6120 8.3.2), a bug "cancel".
      this.refuse(stanza, stanzaErrorFor(err), origin);
    }
  }

  private async deliverDefault(r: RoutedStanza, target: 'host' | 'bare' | 'full'): Promise<void> {
    const { stanza } = r;
    const type = stanza.attrs.type;
    if (stanza.name === 'iq') {
      if (type !== 'get' && type !== 'set') {
        if (target === 'full') this.deps.sessions.get(r.to)?.send(stanza);
        return;
      }
      if (target === 'full') {
        const session = this.deps.sessions.get(r.to);
        if (session) session.send(stanza);
        else this.bounce(stanza, 'service-unavailable', r.origin);
        return;
      }
      const reply = await this.deps.iq.dispatch(target === 'host' ? 'host' : 'account', {
        stanza,
        from: r.from,
        to: r.to,
        origin: r.origin,
      });
      if (reply) this.deliverReply(reply, r.origin);
      else this.bounce(stanza, 'service-unavailable', r.origin);
      return;
    }
    if (stanza.name === 'message') {
      if (target === 'host') {
        // RFC 6120 10.4: a message to the server itself with no handler is answered only if it asks.
        if (type !== 'error' && type !== 'headline' && type !== 'groupchat') {
          this.bounce(stanza, 'service-unavailable', r.origin);
        }
        return;
      }
      if (target === 'full') {
        const session = this.deps.sessions.get(r.to);
        if (session) {
          session.send(stanza);
          await this.delivered(r, [session]);
          return;
        }
        // RFC 6121 8.5.3.2.1: no such resource.
        if (type === 'groupchat') this.bounce(stanza, 'service-unavailable', r.origin);
        if (type === 'error' || type === 'groupchat') return;
      }
      await this.deliverMessageToBare(r);
      return;
    }
    // presence: modules handle subscriptions and directed presence; anything left is dropped
    // (RFC 6121 8.5.2.1.2 / 8.5.3.2.2: presence to unavailable recipients is silently ignored).
  }

  /** RFC 6121 8.5.2: a message to a bare JID goes to the most available resources. */
  async deliverMessageToBare(r: RoutedStanza): Promise<void> {
    const { stanza } = r;
    const type = stanza.attrs.type ?? 'normal';
    if (type === 'error') return;
    const username = r.toBare.slice(0, r.toBare.indexOf('@'));
    if (type === 'groupchat') {
      this.bounce(stanza, 'service-unavailable', r.origin);
      return;
    }
    const candidates = this.deps.sessions.availableResourcesOf(r.toBare).filter((s) => s.priority >= 0);
    if (candidates.length > 0) {
      // headline: every non-negative resource; normal and chat: every resource with the highest
      // priority (8.5.2.1.1 allows "one or more").
      const top = Math.max(...candidates.map((s) => s.priority));
      const recipients = type === 'headline' ? candidates : candidates.filter((s) => s.priority === top);
      for (const s of recipients) s.send(stanza);
      await this.delivered(r, recipients);
      return;
    }
    if (!(await this.deps.accountExists(username))) {
      if (type !== 'headline') this.bounce(stanza, 'service-unavailable', r.origin);
      return;
    }
    // 8.5.2.2.1: no available resource: normal and chat are stored offline, headline is dropped.
    if (type === 'headline') return;
    if (await this.deps.bus.emit('message/offline', r)) return;
    this.bounce(stanza, 'service-unavailable', r.origin);
  }

  /** Tells modules which sessions received a message (XEP-0280 copies it to the others). */
  private async delivered(r: RoutedStanza, recipients: ClientSession[]): Promise<void> {
    if (this.deps.bus.has('message/delivered')) await this.deps.bus.broadcast<DeliveredMessage>('message/delivered', { ...r, recipients });
  }

  /** Sends a reply generated by the server back to the sender of a request. */
  deliverReply(reply: Element, origin?: ClientSession): void {
    if (origin && reply.attrs.to === origin.full) origin.send(reply);
    else void this.route(reply);
  }

  /** Answers a stanza with an error, unless it is itself an error or a result (RFC 6120 8.3.1). */
  bounce(stanza: Element, condition: StanzaErrorSpec['condition'], origin?: ClientSession, text?: string): void {
    this.refuse(stanza, { condition, text }, origin);
  }

  private refuse(stanza: Element, spec: StanzaErrorSpec, origin?: ClientSession): void {
    if (!mayReplyWithError(stanza)) return;
    const reply = errorReply(stanza, spec);
    if (!stanza.attrs.to) reply.attrs.from = this.deps.domain;
    this.deliverReply(reply, origin);
  }
}

export function bareOf(jid: string): string {
  const slash = jid.indexOf('/');
  return slash === -1 ? jid : jid.slice(0, slash);
}
