// The soak scenario (docs/RELIABILITY.md): thousands of XEP-0198 clients subscribed to XEP-0060
// nodes drop their TCP connections at random and resume (section 5) for a bounded time while
// publishers publish numbered items; then every publish the service acknowledged (7.1.2 IQ result)
// must have reached every subscriber that stayed subscribed exactly once. Losses and duplicates are
// counted separately. Loopback only, bounded in clients and seconds, stops by itself.
//
//   node dist/bench/soak/soak.js [--clients 2000] [--seconds 60] [--nodes 20] [--publishers 4]
//        [--rate 20] [--drop-every 30] [--state-dir DIR]
// Exit code 0 when losses and duplicates are both zero.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SmClient } from './sm-client.js';
import { startSoakServer } from './soak-server.js';

const PUBSUB = 'http://jabber.org/protocol/pubsub';

export interface SoakOptions {
  clients: number;
  seconds: number;
  nodes: number;
  publishers: number;
  /** Publishes per second, all publishers together. */
  rate: number;
  /** Mean seconds between two drops of one subscriber. */
  dropEvery: number;
  stateDir?: string;
}

export interface SoakResult {
  clients: number;
  subscribersChecked: number;
  published: number;
  acknowledged: number;
  expectedDeliveries: number;
  delivered: number;
  drops: number;
  resumes: number;
  resumeFailures: number;
  losses: number;
  duplicates: number;
  serverPeakRssMiB: number;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function createNodeIq(id: string, node: string): string {
  return (
    `<iq type='set' to='pubsub.localhost' id='${id}'><pubsub xmlns='${PUBSUB}'><create node='${node}'/><configure>` +
    `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>${PUBSUB}#node_config</value></field>` +
    `<field var='pubsub#max_items'><value>1000000</value></field><field var='pubsub#access_model'><value>open</value></field><field var='pubsub#publish_model'><value>open</value></field></x></configure></pubsub></iq>`
  );
}

/** Runs n async jobs with at most `concurrency` in flight. */
async function inPool<T>(items: T[], concurrency: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await job(items[next++]!);
  }));
}

export async function runSoak(o: SoakOptions, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<SoakResult> {
  const stateDir = o.stateDir ?? mkdtempSync(join(tmpdir(), 'almanac-soak-'));
  const started = performance.now();
  log(`[soak] creating ${o.clients + o.publishers} accounts in ${stateDir}`);
  const server = await startSoakServer(join(stateDir, 'data'), o.clients + o.publishers, 'soak', 'secret');
  const target = server.target;
  const nodeOf = (i: number) => `soak${i % o.nodes}`;
  try {
    // publishers are accounts clients..clients+publishers-1; they never drop
    const publishers = Array.from({ length: o.publishers }, (_, p) => new SmClient(target, o.clients + p, 'pub', () => {}));
    for (const p of publishers) await p.start();
    for (let n = 0; n < o.nodes; n++) {
      const r = await publishers[0]!.iq(`c${n}`, createNodeIq(`c${n}`, `soak${n}`));
      if (!r.includes("type='result'") && !r.includes('type="result"')) throw new Error(`node creation failed: ${r}`);
    }

    // received[client] counts each item id seen by that subscriber
    const received: Array<Map<string, number>> = Array.from({ length: o.clients }, () => new Map());
    const subscribers = Array.from({ length: o.clients }, (_, i) =>
      new SmClient(target, i, 'soak', (xml) => {
        if (!xml.startsWith('<message')) return;
        const m = /<item\s+id=['"]([^'"]+)['"]/.exec(xml);
        if (m) received[i]!.set(m[1]!, (received[i]!.get(m[1]!) ?? 0) + 1);
      }),
    );
    let ready = 0;
    await inPool(subscribers, 50, async (c) => {
      await c.start();
      c.send('<presence/>');
      const r = await c.iq('sub', `<iq type='set' to='pubsub.localhost' id='sub'><pubsub xmlns='${PUBSUB}'><subscribe node='${nodeOf(c.index)}' jid='${c.jid}'/></pubsub></iq>`);
      if (!/type=['"]result['"]/.test(r)) throw new Error(`subscribe failed: ${r}`);
      if (++ready % 500 === 0) log(`[soak] ${ready} subscribers ready`);
    });
    log(`[soak] ${ready} subscribers on ${o.nodes} nodes; soaking for ${o.seconds} s`);

    const acked: string[][] = Array.from({ length: o.nodes }, () => []);
    let published = 0;
    let acknowledged = 0;
    const deadline = performance.now() + o.seconds * 1000;
    const running = () => performance.now() < deadline;

    const publishLoops = publishers.map(async (p, pi) => {
      const interval = (1000 * o.publishers) / o.rate;
      const outstanding = new Set<Promise<void>>();
      for (let seq = 0; running(); seq++) {
        const node = (seq * o.publishers + pi) % o.nodes;
        const id = `p${pi}-${seq}`;
        published++;
        const done = p
          .iq(id, `<iq type='set' to='pubsub.localhost' id='${id}'><pubsub xmlns='${PUBSUB}'><publish node='soak${node}'><item id='${id}'><n xmlns='urn:example:soak'>${seq}</n></item></publish></pubsub></iq>`)
          .then((r) => {
            if (/type=['"]result['"]/.test(r)) {
              acked[node]!.push(id);
              acknowledged++;
            }
          }, () => {});
        outstanding.add(done);
        void done.then(() => outstanding.delete(done));
        await sleep(interval);
      }
      await Promise.all(outstanding);
    });

    const dropLoops = subscribers.map(async (c) => {
      for (;;) {
        const wait = Math.random() * 2 * o.dropEvery * 1000;
        if (performance.now() + wait >= deadline) return; // the next drop would fall after the soak
        await sleep(wait);
        c.drop();
        await sleep(Math.random() * 2000); // the network is down for a moment
        try {
          await c.resume();
        } catch (err) {
          log(`[soak] ${(err as Error).message}`);
          return;
        }
      }
    });

    const progress = setInterval(() => {
      const drops = subscribers.reduce((s, c) => s + c.drops, 0);
      log(`[soak] ${Math.round((deadline - performance.now()) / 1000)} s left: ${acknowledged}/${published} publishes acknowledged, ${drops} drops`);
    }, 10_000);
    await Promise.all(publishLoops);
    clearInterval(progress);
    // any drop still mid-resume finishes; wait for stragglers
    await Promise.race([Promise.all(dropLoops), sleep(90_000)]);

    const checked = subscribers.filter((c) => !c.broken && c.connected);
    const expectedOf = (c: SmClient) => acked[c.index % o.nodes]!;
    const missing = () => checked.reduce((s, c) => s + expectedOf(c).filter((id) => !received[c.index]!.has(id)).length, 0);
    for (let waited = 0; waited < 60 && missing() > 0; waited++) await sleep(1000);
    await sleep(1000); // late duplicates would arrive now

    let expectedDeliveries = 0;
    let delivered = 0;
    let losses = 0;
    let duplicates = 0;
    for (const c of checked) {
      const got = received[c.index]!;
      const expected = new Set(expectedOf(c));
      expectedDeliveries += expected.size;
      for (const id of expected) {
        const n = got.get(id) ?? 0;
        if (n === 0) losses++;
        else duplicates += n - 1;
      }
      // an unacknowledged publish may still be delivered: it counts as delivered, not as a fault
      for (const n of got.values()) delivered += n;
    }
    const result: SoakResult = {
      clients: o.clients,
      subscribersChecked: checked.length,
      published,
      acknowledged,
      expectedDeliveries,
      delivered,
      drops: subscribers.reduce((s, c) => s + c.drops, 0),
      resumes: subscribers.reduce((s, c) => s + c.resumes, 0),
      resumeFailures: subscribers.reduce((s, c) => s + c.resumeFailures, 0),
      losses,
      duplicates,
      serverPeakRssMiB: server.peakRssMiB(),
      seconds: Math.round((performance.now() - started) / 1000),
    };
    for (const c of [...subscribers, ...publishers]) c.close();
    return result;
  } finally {
    await server.stop();
    if (!o.stateDir) rmSync(stateDir, { recursive: true, force: true });
  }
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const sd = args.indexOf('--state-dir');
  const options: SoakOptions = {
    clients: Math.min(flag(args, 'clients', 2000), 10_000),
    seconds: Math.min(flag(args, 'seconds', 60), 600),
    nodes: flag(args, 'nodes', 20),
    publishers: flag(args, 'publishers', 4),
    rate: flag(args, 'rate', 20),
    dropEvery: flag(args, 'drop-every', 30),
    ...(sd >= 0 ? { stateDir: args[sd + 1] } : {}),
  };
  const result = await runSoak(options);
  console.log(JSON.stringify({ options, result }, null, 2));
  process.exit(result.losses === 0 && result.duplicates === 0 ? 0 : 1);
}
