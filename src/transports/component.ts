// XEP-0114: external components on their own loopback port. A component opens a stream in
// jabber:component:accept for its domain, proves it knows the shared secret with
// <handshake>hex(SHA-1(stream id + secret))</handshake>, and then exchanges stanzas: everything
// addressed to its domain is forwarded to it, and what it sends must come from its domain.

import net from 'node:net';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Element } from '../xml/element.js';
import { StreamParser } from '../xml/stream-parser.js';
import { NS } from '../protocol/namespaces.js';
import { escapeAttribute } from '../xml/escape.js';
import { streamErrorXml, type StreamErrorCondition } from '../protocol/stream-error.js';
import type { Router, Service } from '../core/router.js';
import { log } from '../core/log.js';
import { listen } from './tcp.js';

export interface ComponentOptions {
  host: string;
  port: number;
  secret: string;
  router: Router;
  maxStanzaBytes: number;
  maxDepth: number;
  normalizeJid(jid: string): string | undefined;
}

class ComponentConnection implements Service {
  domain = '';
  private readonly id = randomBytes(12).toString('hex');
  private authenticated = false;
  private closed = false;
  private readonly parser: StreamParser;

  constructor(private readonly socket: net.Socket, private readonly o: ComponentOptions) {
    this.parser = new StreamParser(
      {
        onStreamStart: (root) => this.onStart(root),
        onElement: (el) => void this.onElement(el),
        onStreamEnd: () => this.close(),
        onError: (condition) => this.fail(condition as StreamErrorCondition),
      },
      { maxStanzaBytes: o.maxStanzaBytes, maxDepth: o.maxDepth },
    );
    socket.on('data', (chunk) => this.parser.write(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClosed());
  }

  private onStart(root: Element): void {
    const to = root.attrs.to ?? '';
    this.socket.write(
      `<?xml version='1.0'?><stream:stream xmlns='${NS.COMPONENT}' xmlns:stream='${NS.STREAM}' id='${this.id}' from='${escapeAttribute(to)}'>`,
    );
    if (root.getNS() !== NS.STREAM || root.attrs.xmlns !== NS.COMPONENT) return this.fail('invalid-namespace');
    const domain = this.o.normalizeJid(to);
    if (!domain || domain.includes('@') || domain.includes('/')) return this.fail('improper-addressing');
    // A component may not take over the server's own domain or one already served.
    if (domain === this.o.router.domain || this.o.router.serviceDomains().includes(domain)) return this.fail('conflict');
    this.domain = domain;
  }

  private async onElement(el: Element): Promise<void> {
    if (!this.authenticated) {
      if (el.localName !== 'handshake' || !this.domain) return this.fail('not-authorized');
      const expected = createHash('sha1').update(this.id + this.o.secret).digest('hex');
      const given = Buffer.from(el.text().trim().toLowerCase());
      if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) return this.fail('not-authorized');
      if (this.o.router.serviceDomains().includes(this.domain)) return this.fail('conflict');
      this.authenticated = true;
      this.o.router.addService(this);
      this.socket.write('<handshake/>');
      log.info({ domain: this.domain }, 'component connected');
      return;
    }
    if (el.localName !== 'message' && el.localName !== 'presence' && el.localName !== 'iq') return this.fail('unsupported-stanza-type');
    const from = el.attrs.from ? this.o.normalizeJid(el.attrs.from) : undefined;
    const fromDomain = from?.replace(/^[^@/]*@/, '').replace(/\/.*$/, '');
    if (!from || fromDomain !== this.domain) return this.fail('invalid-from');
    el.parent = null;
    el.attrs.xmlns = NS.CLIENT;
    el.attrs.from = from;
    await this.o.router.route(el);
  }

  /** Router side: a stanza for the component's domain. */
  handle(stanza: Element): void {
    if (this.closed) return;
    const copy = stanza.clone();
    copy.attrs.xmlns = NS.COMPONENT;
    this.socket.write(copy.toString());
  }

  private fail(condition: StreamErrorCondition): void {
    if (this.closed) return;
    this.socket.write(streamErrorXml(condition));
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end('</stream:stream>');
    this.onClosed();
  }

  private onClosed(): void {
    this.closed = true;
    if (this.authenticated) {
      this.authenticated = false;
      this.o.router.removeService(this.domain);
      log.info({ domain: this.domain }, 'component disconnected');
    }
  }
}

export async function listenComponents(o: ComponentOptions): Promise<net.Server> {
  const server = net.createServer((socket) => new ComponentConnection(socket, o));
  await listen(server, o.port, o.host);
  return server;
}
