// Message ping-pong between pairs of sessions (RFC 6121 section 5: chat messages to a full JID),
// independent of the transport. Side A of each pair starts `window` messages; whoever receives a
// message answers it at once, so each pair keeps `window` messages bouncing. Every body carries a
// `pp-<n>.` marker; the generator remembers when message n was sent and when the message it answers
// was sent, giving one-way latency and full round-trip time on one clock. A pair that has not
// received anything for `stallMs` counts as two sessions left without an answer.

import { LatencyRecorder } from './latency.js';
import { MarkerScanner } from './marker-scanner.js';

export interface PingPongPeer {
  jid: string;
  send(stanza: string): void;
  /** Installs the handler for inbound text (whole BOSH bodies, WebSocket frames, TCP chunks). */
  receive(handler: (text: string) => void): void;
}

export interface PingPongFigures {
  seconds: number;
  sent: number;
  /** Deliveries up to the end of the drain (for loss accounting). */
  delivered: number;
  /** Deliveries within the measured `seconds`. */
  deliveredInTime: number;
  /** Messages still undelivered after the drain period. */
  lost: number;
  errors: number;
  oneWay: LatencyRecorder;
  roundTrip: LatencyRecorder;
  /** Sessions whose pair made no progress in the last `stallMs` of the run. */
  stalledSessions: number;
  /** Longest silence any pair saw while the run was on. */
  maxGapMs: number;
}

const RING = 1 << 20;

export class PingPong {
  private readonly sendTimes = new Float64Array(RING);
  private readonly parentTimes = new Float64Array(RING);
  private seq = 1;
  private active = false;
  private counting = false;
  private readonly lastDelivery: Float64Array;
  private figures: PingPongFigures = PingPong.empty();

  constructor(
    private readonly pairs: [PingPongPeer, PingPongPeer][],
    private readonly window: number,
    private readonly stallMs = 2000,
  ) {
    this.lastDelivery = new Float64Array(pairs.length);
    pairs.forEach(([a, b], p) => {
      this.listen(a, b, p);
      this.listen(b, a, p);
    });
  }

  /**
   * Runs for `seconds` (after `warmup` seconds not counted), then drains for up to `drainMs`.
   * `mark` is awaited when counting starts and ends (the orchestrator's checkpoints).
   */
  async run(seconds: number, warmup: number, mark: (name: string) => Promise<void> = async () => {}, drainMs = 3000): Promise<PingPongFigures> {
    this.figures = PingPong.empty();
    this.active = true;
    const startAll = performance.now();
    this.lastDelivery.fill(startAll);
    this.pairs.forEach(([a, b]) => {
      for (let i = 0; i < this.window; i++) this.message(a, b, 0);
    });
    await sleep(warmup * 1000);
    await mark('measure-start');
    this.figures = PingPong.empty();
    this.counting = true;
    const t0 = performance.now();
    const watch = setInterval(() => this.watchGaps(), 100);
    await sleep(seconds * 1000);
    clearInterval(watch);
    this.watchGaps();
    const end = performance.now();
    this.figures.seconds = (end - t0) / 1000;
    const delivered = this.figures.delivered;
    await mark('measure-end');
    for (let p = 0; p < this.pairs.length; p++) if (end - this.lastDelivery[p] > this.stallMs) this.figures.stalledSessions += 2;
    this.active = false;
    const inFlight = (): number => this.figures.sent + this.pairs.length * this.window - this.figures.delivered;
    const drainEnd = performance.now() + drainMs;
    while (inFlight() > 0 && performance.now() < drainEnd) await sleep(20);
    this.counting = false;
    // Counting started with window messages per pair already in flight.
    this.figures.lost = Math.max(0, inFlight());
    // Rates count what arrived inside the measured time, not during the drain.
    this.figures.deliveredInTime = delivered;
    return this.figures;
  }

  private listen(self: PingPongPeer, partner: PingPongPeer, pair: number): void {
    const scanner = new MarkerScanner('pp-', (n) => {
      const now = performance.now();
      this.lastDelivery[pair] = now;
      if (this.counting) {
        this.figures.delivered++;
        this.figures.oneWay.record(now - this.sendTimes[n & (RING - 1)]);
        const parent = this.parentTimes[n & (RING - 1)];
        if (parent > 0) this.figures.roundTrip.record(now - parent);
      }
      if (this.active) this.message(self, partner, this.sendTimes[n & (RING - 1)]);
    });
    self.receive((text) => {
      scanner.feed(text);
      if (text.includes("type='error'") || text.includes('type="error"')) this.figures.errors++;
    });
  }

  /** Sends one message; `parentSentAt` is when the message it answers was sent (0 for none). */
  private message(from: PingPongPeer, to: PingPongPeer, parentSentAt: number): void {
    const n = this.seq++;
    this.sendTimes[n & (RING - 1)] = performance.now();
    this.parentTimes[n & (RING - 1)] = parentSentAt;
    if (this.counting) this.figures.sent++;
    from.send(`<message xmlns='jabber:client' to='${to.jid}' type='chat' id='m${n}'><body>pp-${n}.</body></message>`);
  }

  private watchGaps(): void {
    const now = performance.now();
    for (let p = 0; p < this.pairs.length; p++) this.figures.maxGapMs = Math.max(this.figures.maxGapMs, now - this.lastDelivery[p]);
  }

  private static empty(): PingPongFigures {
    return {
      seconds: 0,
      sent: 0,
      delivered: 0,
      deliveredInTime: 0,
      lost: 0,
      errors: 0,
      oneWay: new LatencyRecorder(),
      roundTrip: new LatencyRecorder(),
      stalledSessions: 0,
      maxGapMs: 0,
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
