// Test doubles for the pubsub engine's injected services (XEP-0060 4.5 rosters, 12.7 presence,
// XEP-0163 caps interest) and a factory that wires an engine on the in-memory store.

import assert from 'node:assert/strict';
import { MemoryPubsubStore } from '../../../../src/storage/memory/pubsub-store.js';
import type { PubsubStore } from '../../../../src/storage/pubsub-store.js';
import { PubsubEngine, type EngineOptions } from '../../../../src/modules/pubsub/engine/engine.js';
import type { Notification, NotificationKind, Notifier } from '../../../../src/modules/pubsub/engine/notification.js';
import type { PubsubError, Result } from '../../../../src/modules/pubsub/engine/result.js';
import type { AccessPolicy, InterestView, PresenceView } from '../../../../src/modules/pubsub/engine/types.js';

export const SERVICE = 'pubsub.example.com';
export const OWNER = 'owner@example.com/desk';
export const OWNER_BARE = 'owner@example.com';
export const ALICE = 'alice@example.com/phone';
export const ALICE_BARE = 'alice@example.com';
export const BOB = 'bob@example.com/laptop';
export const BOB_BARE = 'bob@example.com';
export const ADMIN = 'example.com';

export class FakeRoster implements AccessPolicy {
  /** 'owner|contact' pairs with a presence subscription from contact to owner. */
  readonly presence = new Set<string>();
  readonly groups = new Map<string, string[]>();
  readonly creators = new Set<string>([OWNER_BARE, ALICE_BARE, BOB_BARE]);

  share(ownerBare: string, jidBare: string): void {
    this.presence.add(`${ownerBare}|${jidBare}`);
  }
  group(ownerBare: string, jidBare: string, ...groups: string[]): void {
    this.groups.set(`${ownerBare}|${jidBare}`, groups);
  }
  async hasPresenceSubscription(ownerBare: string, jidBare: string): Promise<boolean> {
    return this.presence.has(`${ownerBare}|${jidBare}`);
  }
  async rosterGroupsOf(ownerBare: string, jidBare: string): Promise<string[]> {
    return this.groups.get(`${ownerBare}|${jidBare}`) ?? [];
  }
  isLocalAccount(bare: string): boolean {
    return bare.endsWith('@example.com');
  }
  canCreateNodes(actorBare: string): boolean {
    return this.creators.has(actorBare);
  }
}

export class FakePresence implements PresenceView {
  readonly online = new Map<string, 'away' | 'chat' | 'dnd' | 'online' | 'xa'>();
  withShows = false;

  come(fullJid: string, show: 'away' | 'chat' | 'dnd' | 'online' | 'xa' = 'online'): void {
    this.online.set(fullJid, show);
  }
  go(fullJid: string): void {
    this.online.delete(fullJid);
  }
  isAvailable(jid: string): boolean {
    return jid.includes('/') ? this.online.has(jid) : this.availableResources(jid).length > 0;
  }
  availableResources(bare: string): string[] {
    return [...this.online.keys()].filter((j) => j.startsWith(`${bare}/`));
  }
  get showOf(): PresenceView['showOf'] {
    return this.withShows ? (jid: string) => this.online.get(jid) : undefined;
  }
}

export class FakeInterest implements InterestView {
  /** full JID → nodes it wants notifications for ('<node>+notify'). */
  readonly wants = new Map<string, Set<string>>();
  constructor(private readonly presence: FakePresence) {}

  want(fullJid: string, ...nodes: string[]): void {
    this.wants.set(fullJid, new Set(nodes));
  }
  interestedResources(node: string): string[] {
    return [...this.wants].filter(([jid, nodes]) => nodes.has(node) && this.presence.isAvailable(jid)).map(([jid]) => jid);
  }
  isInterested(fullJid: string, node: string): boolean {
    return this.wants.get(fullJid)?.has(node) ?? false;
  }
}

export class RecordingNotifier implements Notifier {
  notifications: Notification[] = [];
  notify(n: Notification): void {
    this.notifications.push(structuredClone(n));
  }
  /** Returns and forgets what was recorded. */
  take(kind?: NotificationKind): Notification[] {
    const taken = kind ? this.notifications.filter((n) => n.kind === kind) : this.notifications;
    this.notifications = kind ? this.notifications.filter((n) => n.kind !== kind) : [];
    return taken;
  }
  /** Recipient JIDs of the single notification of this kind, sorted. */
  recipientsOf(kind: NotificationKind): string[] {
    const of = this.take(kind);
    assert.equal(of.length, 1, `expected one ${kind} notification, got ${of.length}`);
    return of[0]!.recipients.map((r) => r.jid).sort();
  }
}

export interface Harness {
  engine: PubsubEngine;
  store: PubsubStore;
  roster: FakeRoster;
  presence: FakePresence;
  interest: FakeInterest;
  notifier: RecordingNotifier;
  advance(ms: number): void;
  now(): number;
}

export function harness(
  init: { service?: string; options?: Partial<EngineOptions>; store?: PubsubStore; pepInterest?: boolean } = {},
): Harness {
  const store = init.store ?? new MemoryPubsubStore();
  const roster = new FakeRoster();
  const presence = new FakePresence();
  const interest = new FakeInterest(presence);
  const notifier = new RecordingNotifier();
  let clock = Date.UTC(2026, 0, 1);
  let n = 0;
  const engine = new PubsubEngine({
    service: init.service ?? SERVICE,
    store,
    access: roster,
    presence,
    notifier,
    ...(init.pepInterest ? { interest } : {}),
    options: { admins: [ADMIN], ...init.options },
    clock: () => clock,
    newId: () => `id${++n}`,
  });
  return { engine, store, roster, presence, interest, notifier, advance: (ms) => (clock += ms), now: () => clock };
}

export function value<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Asserts the exact condition pair (stanza condition, type, pubsub condition, feature). */
export function assertError(result: Result<unknown>, expected: Omit<PubsubError, 'text' | 'rejected'>): PubsubError {
  if (result.ok) assert.fail(`expected ${expected.condition}, got success`);
  const { condition, type, pubsub, feature } = result.error;
  assert.deepEqual(
    { condition, type, ...(pubsub ? { pubsub } : {}), ...(feature ? { feature } : {}) },
    expected,
  );
  return result.error;
}

/** A node owned by OWNER with the given configuration. */
export async function nodeWith(h: Harness, node: string, config: Record<string, unknown> = {}): Promise<void> {
  value(await h.engine.createNode(OWNER, node, config));
}

export const payload = (text: string): string => `<entry xmlns='urn:example'>${text}</entry>`;
