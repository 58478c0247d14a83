// The shared set-up of the pubsub scenarios (XEP-0060): one publisher (bench0) creates a fresh node
// (section 8.1.1), N subscribers (bench1..benchN), each on its own connection, subscribe their full
// JID (section 6.1), and every published item carries a `bseq-<n>.` marker whose send time the
// generator remembers, so publish-to-delivery latency is measured on one clock.

import { loginMany, closeAll } from '../load/login-pool.js';
import { LatencyRecorder } from '../load/latency.js';
import { MarkerScanner } from '../load/marker-scanner.js';
import { XmppTcpClient, firstChildName } from '../load/xmpp-tcp-client.js';
import type { Target } from '../load/target.js';
import type { Control } from '../load/control.js';

const PUBSUB = 'http://jabber.org/protocol/pubsub';
const RING = 1 << 20;

export interface RunFigures {
  published: number;
  publishErrors: number;
  expected: number;
  delivered: number;
  /** From the first publish sent to the last notification received. */
  seconds: number;
  latency: LatencyRecorder;
  timedOut: boolean;
}

export class PubsubFixture {
  private readonly sendTimes = new Float64Array(RING);
  private nextSeq = 1;
  private nextIq = 1;
  private readonly iqWaiters = new Map<string, (xml: string) => void>();
  private onPublishReply: (ok: boolean, xml: string) => void = () => {};
  private onDelivery: (seq: number, now: number) => void = () => {};
  notificationErrors = 0;
  dropped = 0;
  /** The node outlives the run (not deleted on close). */
  keep = false;

  private constructor(
    readonly target: Target,
    readonly publisher: XmppTcpClient,
    readonly subscribers: XmppTcpClient[],
    readonly node: string,
    private readonly pad: string,
  ) {}

  /** Logs everyone in and creates the node; a string return says why the server cannot do it. */
  /**
   * `keepNode` names a node that survives the run: if it exists, subscriptions it already holds
   * (XEP-0060 section 8.8.1) are not made again. Prosody rewrites a node's whole subscriber list on
   * each subscribe, so 10,000 subscriptions take it minutes; they are set-up, not the measurement.
   */
  static async open(target: Target, control: Control, subscriberCount: number, pad: number, keepNode = ''): Promise<PubsubFixture | string> {
    if (target.users < subscriberCount + 1) return `needs ${subscriberCount + 1} accounts, the server has ${target.users}`;
    const publisher = new XmppTcpClient(target, 0, 'pub');
    try {
      await publisher.login(10_000);
    } catch (err) {
      return `login failed: ${(err as Error).message}`;
    }
    const node = keepNode || `bench-${process.pid}-${Date.now().toString(36)}`;
    const fixture = new PubsubFixture(target, publisher, [], node, pad > 0 ? ' '.repeat(pad) : '');
    fixture.keep = keepNode !== '';
    publisher.useStanzas((xml) => fixture.onPublisherStanza(xml));
    const created = await fixture.iq(`<pubsub xmlns='${PUBSUB}'><create node='${node}'/></pubsub>`, 10_000);
    let existing = new Set<string>();
    if (created === 'error conflict' && fixture.keep) {
      const list = await fixture.iqXml(`<pubsub xmlns='${PUBSUB}#owner'><subscriptions node='${node}'/></pubsub>`, 60_000);
      existing = subscribedJids(list ?? '');
      control.log(`node ${node} exists with ${existing.size} subscriptions`);
    } else if (created !== 'result') {
      await publisher.close();
      return `creating a node on ${target.pubsub}: ${created}`;
    }
    const pool = await loginMany(target, {
      indexes: Array.from({ length: subscriberCount }, (_, i) => i + 1),
      resource: 'sub',
      concurrency: 40,
      progress: (n) => control.log(`${n}/${subscriberCount} subscribers logged in`),
    });
    fixture.subscribers.push(...pool.clients);
    if (pool.failures.length > 0) {
      await fixture.close();
      return `subscriber login failed (${pool.failures.length}x): ${pool.failures[0]}`;
    }
    control.log(`${subscriberCount} subscribers logged in in ${pool.seconds.toFixed(1)} s; subscribing`);
    const subscribing = performance.now();
    const refused = await fixture.subscribeAll(existing, (n) => control.log(`${n}/${subscriberCount} subscribed`));
    if (refused) {
      await fixture.close();
      return `subscribing: ${refused}`;
    }
    control.log(`subscribed in ${((performance.now() - subscribing) / 1000).toFixed(1)} s`);
    for (const sub of fixture.subscribers) {
      sub.onDrop = () => fixture.dropped++;
      const scanner = new MarkerScanner('bseq-', (seq) => fixture.onDelivery(seq, performance.now()));
      sub.useRaw((text) => {
        scanner.feed(text);
        if (text.includes("type='error'") || text.includes('type="error"')) fixture.notificationErrors++;
      });
    }
    return fixture;
  }

  /** Publishes `items` items keeping `window` publish IQs outstanding; `paceMs` > 0 spaces them out. */
  run(items: number, window: number, paceMs: number, timeoutMs: number): Promise<RunFigures> {
    const subscribers = this.subscribers.length;
    const figures: RunFigures = {
      published: 0,
      publishErrors: 0,
      expected: items * subscribers,
      delivered: 0,
      seconds: 0,
      latency: new LatencyRecorder(),
      timedOut: false,
    };
    return new Promise((resolve) => {
      let sent = 0;
      let outstanding = 0;
      let acked = 0;
      let firstSentAt = 0;
      let lastDeliveryAt = 0;
      let paceTimer: NodeJS.Timeout | undefined;
      const finish = (timedOut: boolean): void => {
        clearTimeout(deadline);
        clearTimeout(paceTimer);
        this.onPublishReply = () => {};
        this.onDelivery = () => {};
        figures.timedOut = timedOut;
        figures.seconds = ((lastDeliveryAt || performance.now()) - firstSentAt) / 1000;
        resolve(figures);
      };
      const deadline = setTimeout(() => finish(true), timeoutMs);
      const done = (): boolean => acked === items && figures.delivered + figures.publishErrors * subscribers >= figures.expected;
      const sendOne = (): void => {
        const seq = this.nextSeq++;
        const now = performance.now();
        if (sent === 0) firstSentAt = now;
        this.sendTimes[seq & (RING - 1)] = now;
        sent++;
        outstanding++;
        this.publisher.send(
          `<iq type='set' to='${this.target.pubsub}' id='p${seq}'><pubsub xmlns='${PUBSUB}'><publish node='${this.node}'>` +
            `<item id='i${seq}'><entry xmlns='urn:x-almanac-bench'>bseq-${seq}.${this.pad}</entry></item></publish></pubsub></iq>`,
        );
      };
      this.onPublishReply = (ok) => {
        outstanding--;
        acked++;
        if (ok) figures.published++;
        else figures.publishErrors++;
        if (paceMs === 0 && sent < items) sendOne();
        if (done()) finish(false);
      };
      this.onDelivery = (seq, now) => {
        figures.latency.record(now - this.sendTimes[seq & (RING - 1)]);
        figures.delivered++;
        lastDeliveryAt = now;
        if (figures.delivered === figures.expected && done()) finish(false);
      };
      if (paceMs === 0) {
        for (let i = 0; i < Math.min(window, items); i++) sendOne();
        return;
      }
      // Paced: item k is due at start + k * paceMs; a full window delays it rather than dropping it.
      const start = performance.now();
      const tick = (): void => {
        const now = performance.now();
        while (sent < items && outstanding < window && start + sent * paceMs <= now) sendOne();
        if (sent < items) paceTimer = setTimeout(tick, Math.max(0, start + sent * paceMs - performance.now()));
      };
      tick();
    });
  }

  async close(): Promise<void> {
    if (!this.publisher.closed && !this.keep) {
      await this.iq(`<pubsub xmlns='${PUBSUB}#owner'><delete node='${this.node}'/></pubsub>`, 10_000);
    }
    await closeAll([this.publisher, ...this.subscribers]);
  }

  /** Sends an IQ set to the pubsub service from the publisher; resolves 'result', an error condition or 'timeout'. */
  private async iq(payload: string, timeoutMs: number): Promise<string> {
    const xml = await this.iqXml(payload, timeoutMs, 'set');
    return xml === null ? `no answer within ${timeoutMs / 1000} s` : iqOutcome(xml);
  }

  /** Sends an IQ to the pubsub service; resolves the reply, or null after `timeoutMs`. */
  private iqXml(payload: string, timeoutMs: number, type: 'get' | 'set' = 'get'): Promise<string | null> {
    const id = `q${this.nextIq++}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.iqWaiters.delete(id);
        resolve(null);
      }, timeoutMs);
      this.iqWaiters.set(id, (xml) => {
        clearTimeout(timer);
        resolve(xml);
      });
      this.publisher.send(`<iq type='${type}' to='${this.target.pubsub}' id='${id}'>${payload}</iq>`);
    });
  }

  private onPublisherStanza(xml: string): void {
    if (!xml.startsWith('<iq')) return;
    const id = /\sid=["']([^"']+)["']/.exec(xml)?.[1];
    if (!id) return;
    if (id.charCodeAt(0) === 112 /* p */) {
      this.onPublishReply(/type=["']result["']/.test(xml), xml);
      return;
    }
    const waiter = this.iqWaiters.get(id);
    if (waiter) {
      this.iqWaiters.delete(id);
      waiter(xml);
    }
  }

  /**
   * Every subscriber subscribes its own full JID, 200 requests in flight; resolves a refusal or ''.
   * The timeout is generous: Prosody rewrites a node's whole subscriber list on every subscribe.
   */
  private async subscribeAll(existing: Set<string>, progress: (done: number) => void): Promise<string> {
    const missing = this.subscribers.filter((s) => !existing.has(s.jid));
    let next = 0;
    let done = 0;
    let last = performance.now();
    let refusal = '';
    const worker = async (): Promise<void> => {
      while (next < missing.length && !refusal) {
        const sub = missing[next++];
        const outcome = await new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve('no answer within 300 s'), 300_000);
          sub.useStanzas((xml) => {
            if (xml.startsWith('<iq') && /id=["']sub["']/.test(xml)) {
              clearTimeout(timer);
              resolve(iqOutcome(xml));
            }
          });
          sub.send(
            `<iq type='set' to='${this.target.pubsub}' id='sub'><pubsub xmlns='${PUBSUB}'><subscribe node='${this.node}' jid='${sub.jid}'/></pubsub></iq>`,
          );
        });
        if (outcome !== 'result') refusal = outcome;
        done++;
        if (performance.now() - last > 5000) {
          last = performance.now();
          progress(done);
        }
      }
    };
    await Promise.all(Array.from({ length: 200 }, worker));
    return refusal;
  }
}

function iqOutcome(xml: string): string {
  if (/type=["']result["']/.test(xml)) return 'result';
  const error = xml.indexOf('<error');
  return error < 0 ? `unexpected reply ${xml.slice(0, 200)}` : `error ${firstChildName(xml.slice(error))}`;
}

/** JIDs of the `<subscription/>` entries in state "subscribed" of an owner's subscriptions list. */
export function subscribedJids(xml: string): Set<string> {
  const jids = new Set<string>();
  for (const tag of xml.matchAll(/<subscription\s[^>]*>/g)) {
    const jid = /\sjid=["']([^"']+)["']/.exec(tag[0]);
    if (jid && /\ssubscription=["']subscribed["']/.test(tag[0])) jids.add(jid[1]);
  }
  return jids;
}
