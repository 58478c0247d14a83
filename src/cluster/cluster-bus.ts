// DESIGN.md section 4 (cluster/: the Redis bus). Processes of one cluster talk over Redis pub/sub: one
// channel per process (stanzas for its sessions, requests to it) and one broadcast channel (session
// changes, node deaths, cache invalidations). Messages queued in one turn of the event loop for the same
// channel leave as one PUBLISH, in the order they were queued, so a fan-out to many sessions of one
// process costs one Redis round per process, and what one process says arrives in the order it said it.
//
// While Redis is unreachable the bus is "down": send() refuses (returns false) instead of queueing, so
// callers can answer with a stanza error; ioredis reconnects by itself and the bus says when it is back.

import { Redis } from 'ioredis';
import { log } from '../core/log.js';

export interface BusMessage {
  /** Message type: 'deliver', 'session', 'gone', 'close', 'dead', ... */
  t: string;
  /** The sending process. */
  from: string;
  [field: string]: unknown;
}

export type BusHandler = (message: BusMessage) => void | Promise<void>;

export interface ClusterBusEvents {
  /** Both connections are ready again after start or an outage. */
  up(): void;
  down(): void;
  /**
   * Messages for one process that no subscriber received (Redis answers a PUBLISH with how many did):
   * the process is gone, though its heartbeat may not have expired yet.
   */
  unheard(node: string, messages: BusMessage[]): void;
}

interface Outgoing {
  channel: string;
  /** The receiving process, for a process channel. */
  node?: string;
  messages: BusMessage[];
}

export class ClusterBus {
  /** Commands and PUBLISH. */
  readonly commands: Redis;
  /** SUBSCRIBE only (a subscribed connection can do nothing else). */
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, BusHandler[]>();
  private outbox: Outgoing[] = [];
  private flushScheduled = false;
  private isUp = false;
  private stopped = false;
  private readonly upListeners: Array<() => void> = [];
  /** The Redis address for log lines, without credentials. */
  private readonly where: string;

  constructor(
    url: string,
    readonly nodeId: string,
    /** Key and channel prefix: almanac:<domain>: */
    readonly prefix: string,
    private readonly events: ClusterBusEvents,
  ) {
    this.where = redactedAddress(url);
    const options = {
      lazyConnect: true,
      // Refuse rather than queue while down: a stanza error now beats a delivery minutes late.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(100 * times, 1000),
    };
    this.commands = new Redis(url, { ...options, connectionName: `almanac-${nodeId}` });
    this.subscriber = new Redis(url, { ...options, connectionName: `almanac-${nodeId}-sub` });
    for (const connection of [this.commands, this.subscriber]) {
      connection.on('ready', () => this.checkState());
      connection.on('close', () => this.checkState());
      connection.on('end', () => this.checkState());
      // ioredis reports every failed reconnect; the up/down transitions are logged once in checkState.
      connection.on('error', () => undefined);
    }
    this.subscriber.on('ready', () => {
      void this.subscriber.subscribe(this.nodeChannel(nodeId), this.broadcastChannel()).catch(() => undefined);
    });
    this.subscriber.on('messageBuffer', (_channel: Buffer, payload: Buffer) => this.receive(payload.toString('utf8')));
  }

  get up(): boolean {
    return this.isUp;
  }

  nodeChannel(node: string): string {
    return `${this.prefix}node:${node}`;
  }

  broadcastChannel(): string {
    return `${this.prefix}all`;
  }

  /** Connects; resolves even when Redis is unreachable (the bus then comes up when Redis does). */
  async start(): Promise<void> {
    await Promise.all([this.commands.connect(), this.subscriber.connect()]).catch((err: Error) => {
      log.error({ redis: this.where, err: err.message }, `cluster: Redis at ${this.where} is unreachable; running alone until it answers (cross-process delivery refused)`);
    });
  }

  /** Told each time both connections are ready again (at start and after every outage). */
  onUp(listener: () => void): void {
    this.upListeners.push(listener);
  }

  on(type: string, handler: BusHandler): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }

  /** Queues a message for one process; false when the bus is down. */
  send(node: string, message: Omit<BusMessage, 'from'>): boolean {
    return this.enqueue(this.nodeChannel(node), message, node);
  }

  /** Queues a message for every process (this one included, which ignores its own). */
  broadcast(message: Omit<BusMessage, 'from'>): boolean {
    return this.enqueue(this.broadcastChannel(), message);
  }

  private enqueue(channel: string, message: Omit<BusMessage, 'from'>, node?: string): boolean {
    if (!this.isUp) return false;
    const full = { ...message, from: this.nodeId } as BusMessage;
    const last = this.outbox[this.outbox.length - 1];
    if (last && last.channel === channel) last.messages.push(full);
    else this.outbox.push({ channel, node, messages: [full] });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  /**
   * Resolves once everything queued so far has been published. Redis sends a published message to every
   * subscriber before it answers the PUBLISH, so what a caller does next (answer a client, who then asks
   * another process) comes after the others were sent the message.
   */
  async published(): Promise<void> {
    if (this.outbox.length > 0) this.flush();
    await this.lastFlush;
  }

  private lastFlush: Promise<void> = Promise.resolve();

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length === 0) return;
    const pipeline = this.commands.pipeline();
    for (const out of batch) pipeline.publish(out.channel, JSON.stringify(out.messages));
    this.lastFlush = pipeline.exec().then(
      (results) => {
        batch.forEach((out, i) => {
          if (out.node !== undefined && results?.[i]?.[1] === 0) this.events.unheard(out.node, out.messages);
        });
      },
      (err: Error) => log.warn({ err: err.message, messages: batch.length }, 'cluster: messages lost with the Redis connection'),
    );
  }

  private receive(payload: string): void {
    let messages: BusMessage[];
    try {
      messages = JSON.parse(payload) as BusMessage[];
    } catch {
      log.warn('cluster: unreadable bus message ignored');
      return;
    }
    for (const message of messages) {
      if (message.from === this.nodeId) continue;
      for (const handler of this.handlers.get(message.t) ?? []) {
        try {
          const result = handler(message);
          if (result instanceof Promise) result.catch((err: unknown) => log.error({ err, type: message.t }, 'cluster: bus handler failed'));
        } catch (err) {
          log.error({ err, type: message.t }, 'cluster: bus handler failed');
        }
      }
    }
  }

  private checkState(): void {
    if (this.stopped) return;
    const ready = this.commands.status === 'ready' && this.subscriber.status === 'ready';
    if (ready === this.isUp) return;
    this.isUp = ready;
    if (ready) {
      log.info({ node: this.nodeId, redis: this.where }, 'cluster: Redis connection ready; cross-process delivery on');
      this.events.up();
      for (const listener of this.upListeners) listener();
    } else {
      log.error({ node: this.nodeId, redis: this.where }, 'cluster: Redis connection lost; local delivery continues, cross-process delivery refused until it is back');
      this.outbox = [];
      this.events.down();
    }
  }

  async stop(): Promise<void> {
    this.flush();
    this.stopped = true;
    this.isUp = false;
    await Promise.allSettled([this.commands.quit(), this.subscriber.quit()]);
    this.commands.disconnect();
    this.subscriber.disconnect();
  }
}

function redactedAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'redis';
  }
}
