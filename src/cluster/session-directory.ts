// The cluster's session registry in Redis (RFC 6120 7.7.2.2: one session per full JID, the older one
// loses): a hash from full JID to the holding process and what other processes need to deliver to it
// (availability, priority, last presence), plus one heartbeat key per process that expires unless the
// process keeps refreshing it, so a process that died without a word is noticed by the survivors.

import type { Redis } from 'ioredis';

/** What another process knows about a session (kept in Redis and sent on the bus). */
export interface SessionInfo {
  full: string;
  node: string;
  streamId: string;
  available: boolean;
  priority: number;
  /** The last broadcast presence, serialised (for probes answered by another process). */
  presence?: string;
  caps?: { node: string; ver: string; hash: string };
  /** Modules' per-session flags (module-state-relay.ts: 'carbons', 'blocklist'), when there are any. */
  flags?: string[];
}

// Sets the entry and returns the one it replaced, atomically (so two binds racing on two processes
// always see each other).
const PUT = `local previous = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return previous`;

// Removes the entry only if it still belongs to the given stream (a newer session may own the JID now).
const REMOVE = `local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and cjson.decode(current).streamId == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0`;

// Removes every entry of one process; returns them.
const DROP_NODE = `local all = redis.call('HGETALL', KEYS[1])
local dropped = {}
for i = 1, #all, 2 do
  if cjson.decode(all[i + 1]).node == ARGV[1] then
    redis.call('HDEL', KEYS[1], all[i])
    table.insert(dropped, all[i + 1])
  end
end
return dropped`;

export class SessionDirectory {
  private readonly sessionsKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.sessionsKey = `${prefix}sessions`;
  }

  /** Records a session; resolves with the entry it replaced (maybe held by another process). */
  async put(info: SessionInfo): Promise<SessionInfo | undefined> {
    const previous = (await this.redis.eval(PUT, 1, this.sessionsKey, info.full, JSON.stringify(info))) as string | null;
    return previous ? (JSON.parse(previous) as SessionInfo) : undefined;
  }

  /** Removes a session if the entry is still the one of `streamId`. */
  async remove(full: string, streamId: string): Promise<boolean> {
    return (await this.redis.eval(REMOVE, 1, this.sessionsKey, full, streamId)) === 1;
  }

  async all(): Promise<SessionInfo[]> {
    const map = await this.redis.hgetall(this.sessionsKey);
    return Object.values(map).map((v) => JSON.parse(v) as SessionInfo);
  }

  /** Removes and returns every session of `node`. */
  async dropNode(node: string): Promise<SessionInfo[]> {
    const dropped = (await this.redis.eval(DROP_NODE, 1, this.sessionsKey, node)) as string[];
    return dropped.map((v) => JSON.parse(v) as SessionInfo);
  }

  /** The heartbeat: `node` is alive for `ttlMs` more. */
  async beat(node: string, ttlMs: number): Promise<void> {
    await this.redis.set(`${this.prefix}alive:${node}`, String(Date.now()), 'PX', ttlMs);
  }

  async isAlive(node: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}alive:${node}`)) === 1;
  }

  /** One survivor cleans up after a dead process: the first to claim it. */
  async claimCleanup(deadNode: string, claimant: string): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}cleanup:${deadNode}`, claimant, 'PX', 60_000, 'NX')) === 'OK';
  }

  async forget(node: string): Promise<void> {
    await this.redis.del(`${this.prefix}alive:${node}`);
  }
}
