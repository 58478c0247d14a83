// XEP-0124 sections 8, 10, 13, 14 and 17 together: a fast-check model-based test that interleaves requests
// (in and out of order), resends, broken connections, pauses, terminates, restarts, server deliveries,
// server-side terminations and the passing of time, and checks after every step that client payloads reach
// the stream engine exactly once in rid order, that server stanzas reach the client exactly once in order,
// and that whatever ends the session is a defined cause.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { xml } from '../../../src/xml/element.js';
import { BoshHarness, FIRST_RID, settle, type Exchange } from './bosh-harness.js';

type Kind = 'normal' | 'pause' | 'terminate' | 'restart';

interface Sent {
  readonly attrs: Record<string, string>;
  readonly ids: string[];
  readonly kind: Kind;
}

const DEFINED_CAUSES = new Set(['client-terminate', 'server-terminate', 'inactivity', 'policy-violation', 'item-not-found', 'bad-request', 'remote-stream-error', 'system-shutdown']);
const STREAM_ERROR = "<stream:error><reset xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";

/** The system under test and the client's record of what it did; also serves as fast-check's model. */
class World {
  readonly h = new BoshHarness({ maxHold: 2, maxPause: 120, maxInactivity: 60, maxWait: 60, pollingInterval: 2 });
  readonly sid: string;
  readonly sent = new Map<number, Sent>();
  readonly exchanges: Array<{ rid: number; ex: Exchange; aborted: boolean }> = [];
  /** Stanzas the stream engine handed over and deliver() accepted. */
  readonly delivered: string[] = [];
  nextRid = FIRST_RID + 1;
  private stanzaCount = 0;

  constructor(hold: number) {
    this.sid = this.h.open({ hold: String(hold) });
  }

  get live(): boolean {
    return this.h.manager.get(this.sid) !== undefined && !this.h.manager.get(this.sid)!.ended;
  }

  get outstanding(): number {
    return this.exchanges.filter((e) => !e.aborted && !e.ex.answered).length;
  }

  send(rid: number, kind: Kind, payloadSize: number): void {
    let record = this.sent.get(rid);
    if (!record) {
      const attrs: Record<string, string> = { sid: this.sid, rid: String(rid) };
      if (kind === 'pause') attrs.pause = '30';
      if (kind === 'terminate') attrs.type = 'terminate';
      if (kind === 'restart') Object.assign(attrs, { 'xmlns:xmpp': 'urn:xmpp:xbosh', 'xmpp:restart': 'true' });
      const ids = Array.from({ length: payloadSize }, (_, i) => `c${rid}.${i}`);
      record = { attrs, ids, kind };
      this.sent.set(rid, record);
    }
    // Every send, resends included, is a freshly parsed copy of the same <body/>.
    const payload = record.ids.map((id) => xml('message', { id, to: 'bob@example.com' }));
    this.exchanges.push({ rid, ex: this.h.send({ ...record.attrs }, payload), aborted: false });
  }

  deliver(): void {
    const stanza = `<message id='s${this.stanzaCount++}'/>`;
    const session = this.h.manager.get(this.sid);
    if (session?.deliver(stanza)) this.delivered.push(stanza);
  }

  /** Client payloads reached the stream engine as whole bodies, in rid order, each once. */
  checkUpstream(): void {
    const got = this.h.sink(this.sid).received.map((s) => /id='([^']+)'/.exec(s)![1]!);
    let at = 0;
    for (let rid = FIRST_RID + 1; at < got.length; rid++) {
      const record = this.sent.get(rid);
      assert.ok(record, `stanza ${got[at]} forwarded before rid ${rid} was sent`);
      const expected = record.kind === 'restart' ? [] : record.ids;
      assert.deepEqual(got.slice(at, at + expected.length), expected, `payload of rid ${rid}`);
      at += expected.length;
    }
  }

  /** Server stanzas reached the client in rid order, none in two different responses. */
  clientReceived(): string[] {
    const byRid = new Map<number, string[]>();
    for (const { rid, ex } of this.exchanges) {
      for (const r of ex.responses) {
        // Stream features (after a restart) and the stream error are not part of the numbered traffic.
        const stanzas = r.payload.filter((p) => p.startsWith("<message id='s"));
        if (stanzas.length === 0) continue;
        const seen = byRid.get(rid);
        if (seen) assert.deepEqual(stanzas, seen, `a replay of rid ${rid} is identical`);
        else byRid.set(rid, stanzas);
      }
    }
    const inOrder = [...byRid.keys()].sort((a, b) => a - b).flatMap((rid) => byRid.get(rid)!);
    const numbers = inOrder.map((s) => Number(/id='s(\d+)'/.exec(s)![1]));
    for (let i = 1; i < numbers.length; i++) assert.ok(numbers[i]! > numbers[i - 1]!, `stanzas out of order or repeated: ${numbers}`);
    return inOrder;
  }

  checkEnd(): void {
    const end = this.h.ends.get(this.sid);
    if (end) assert.ok(DEFINED_CAUSES.has(end.cause), `undefined end cause ${end.cause}`);
  }
}

type Command = fc.AsyncCommand<World, World>;

const step = (name: string, check: (w: World) => boolean, run: (w: World) => void | Promise<void>): Command => ({
  check,
  async run(_m, w) {
    await run(w);
    w.checkUpstream();
    w.clientReceived();
    w.checkEnd();
  },
  toString: () => name,
});

const kind = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Kind>('normal') },
  { weight: 1, arbitrary: fc.constantFrom<Kind>('pause', 'terminate', 'restart') },
);

const sendWithinLimits = fc.tuple(kind, fc.nat(2)).map(([k, n]) =>
  step(`send ${k} x${n}`, (w) => w.outstanding < Number(w.h.manager.get(w.sid)?.params.requests ?? 1), (w) => w.send(w.nextRid++, k, n)),
);
const sendRegardless = fc.nat(2).map((n) => step(`send regardless x${n}`, () => true, (w) => w.send(w.nextRid++, 'normal', n)));
const sendSwapped = fc.tuple(fc.nat(2), fc.nat(2)).map(([a, b]) =>
  step(`send swapped x${a} x${b}`, () => true, (w) => {
    const rid = w.nextRid;
    w.nextRid += 2;
    w.send(rid + 1, 'normal', b);
    w.send(rid, 'normal', a);
  }),
);
const resend = fc.nat(3).map((back) =>
  step(`resend ${back} back`, (w) => w.sent.size > 0, (w) => {
    const rid = Math.max(FIRST_RID + 1, w.nextRid - 1 - back);
    const record = w.sent.get(rid);
    if (record) w.send(rid, record.kind, record.ids.length);
  }),
);
const abort = fc.nat(3).map((i) =>
  step(`abort ${i}`, () => true, (w) => {
    const open = w.exchanges.filter((e) => !e.aborted && !e.ex.answered);
    const victim = open[i % Math.max(1, open.length)];
    if (victim) {
      victim.aborted = true;
      victim.ex.abort();
    }
  }),
);
const deliver = fc.integer({ min: 1, max: 3 }).map((n) =>
  step(`deliver ${n}`, () => true, async (w) => {
    for (let i = 0; i < n; i++) w.deliver();
    await settle();
  }),
);
const streamError = fc.boolean().map((withError) =>
  step(withError ? 'stream error' : 'server close', () => true, (w) =>
    withError ? w.h.manager.get(w.sid)?.terminate('remote-stream-error', [STREAM_ERROR]) : w.h.manager.get(w.sid)?.terminate(),
  ),
);
const advance = fc.constantFrom(0, 500, 2500, 30_000, 61_000).map((ms) => step(`advance ${ms}`, () => true, (w) => w.h.clock.advance(ms)));

// Mostly a well-behaved client and a busy server, with misbehaviour and failures mixed in now and then.
const commands = [
  fc.oneof({ weight: 6, arbitrary: sendWithinLimits }, { weight: 1, arbitrary: sendRegardless }, { weight: 1, arbitrary: sendSwapped }),
  fc.oneof({ weight: 1, arbitrary: resend }, { weight: 1, arbitrary: abort }),
  fc.oneof({ weight: 12, arbitrary: deliver }, { weight: 1, arbitrary: streamError }),
  advance,
];

describe('BOSH session model (XEP-0124 sections 8-17 together)', () => {
  it('every stanza is delivered exactly once and in order both ways, or the session ends with a defined cause', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1, 2), fc.commands(commands, { maxCommands: 60 }), async (hold, cmds) => {
        const world = new World(hold);
        await fc.asyncModelRun(() => ({ model: world, real: world }), cmds);
        world.h.manager.shutdown();
        await settle();
        world.checkEnd();
        // Accounting: each accepted stanza went to the client or was handed back, never both, never neither.
        const received = world.clientReceived();
        const undelivered = world.h.ends.get(world.sid)?.undelivered ?? [];
        assert.deepEqual([...received, ...undelivered].sort(), [...world.delivered].sort());
        for (const { ex, aborted } of world.exchanges) {
          if (!aborted) assert.equal(ex.responses.length, 1, `rid ${ex.attrs.rid} answered exactly once`);
          else assert.ok(ex.responses.length <= 1);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
