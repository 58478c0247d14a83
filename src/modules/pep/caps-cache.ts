// XEP-0115 on the receiving side, for XEP-0163 filtered notifications (XEP-0060 9.2): when a resource's
// presence carries a caps hash the server has not seen, the server asks that resource for the disco#info
// of node#ver (5.2), checks the answer hashes to ver (5.4, no cache poisoning) and keeps the features per
// ver, shared by every resource announcing it. Legacy caps (no hash) cannot be checked: their answer is
// kept for that resource only.

import { randomBytes } from 'node:crypto';
import { xml } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import type { ClientSession } from '../../core/client-session.js';
import type { ModuleContext, SessionEvent } from '../../core/module-context.js';
import type { RoutedStanza } from '../../core/router.js';
import { supportedCapsHash, verifiesCaps } from './caps-verification.js';

const NONE: ReadonlySet<string> = new Set();
const QUERY_TIMEOUT_MS = 30_000;

interface PendingQuery {
  full: string;
  key: string;
  hash: string;
  ver: string;
  sent: number;
}

export class CapsCache {
  /** 'hash ver' → features, for verified answers. */
  private readonly byVer = new Map<string, ReadonlySet<string>>();
  /** full JID → features, for answers that cannot be verified (legacy caps) or failed queries. */
  private readonly byJid = new Map<string, { key: string; features: ReadonlySet<string> }>();
  private readonly pending = new Map<string, PendingQuery>();
  private readonly asked = new Set<string>();

  constructor(
    private readonly ctx: ModuleContext,
    /** Told when features become known for a resource that announced them. */
    private readonly learned: (session: ClientSession) => void,
    private readonly capacity = 10_000,
  ) {
    ctx.bus.on<RoutedStanza>('iq/host', (r) => this.answer(r), 5);
    ctx.bus.on<SessionEvent>('session-ended', ({ session }) => {
      this.byJid.delete(session.full);
    });
  }

  private keyOf(session: ClientSession): string | undefined {
    const caps = session.caps;
    if (!caps || caps.ver === '') return undefined;
    return caps.hash ? `${caps.hash} ${caps.ver}` : `legacy ${caps.node}#${caps.ver}`;
  }

  /**
   * The resource's features: empty without caps (it asked for nothing, XEP-0163 4.2), undefined while
   * unknown (then a query is on its way and `learned` follows).
   */
  featuresOf(session: ClientSession): ReadonlySet<string> | undefined {
    const key = this.keyOf(session);
    if (key === undefined) return NONE;
    const known = this.byVer.get(key);
    if (known) return known;
    const own = this.byJid.get(session.full);
    if (own && own.key === key) return own.features;
    this.ask(session, key);
    return undefined;
  }

  private ask(session: ClientSession, key: string): void {
    const caps = session.caps!;
    const askKey = caps.hash && supportedCapsHash(caps.hash) ? key : `${session.full} ${key}`;
    if (this.asked.has(askKey)) return;
    this.asked.add(askKey);
    this.expireQueries();
    const id = `caps-${randomBytes(6).toString('hex')}`;
    this.pending.set(id, { full: session.full, key, hash: caps.hash, ver: caps.ver, sent: Date.now() });
    session.send(
      xml('iq', { type: 'get', id, from: this.ctx.domain, to: session.full }, xml('query', { xmlns: NS.DISCO_INFO, node: `${caps.node}#${caps.ver}` })),
    );
  }

  private expireQueries(): void {
    const cutoff = Date.now() - QUERY_TIMEOUT_MS;
    for (const [id, q] of this.pending) {
      if (q.sent >= cutoff) break;
      this.pending.delete(id);
      this.forget(q);
    }
  }

  private forget(q: PendingQuery): void {
    this.asked.delete(q.key);
    this.asked.delete(`${q.full} ${q.key}`);
  }

  private answer(r: RoutedStanza): boolean {
    const { stanza } = r;
    const id = stanza.attrs.id;
    const type = stanza.attrs.type;
    if ((type !== 'result' && type !== 'error') || id === undefined) return false;
    const q = this.pending.get(id);
    if (!q || r.from !== q.full) return false;
    this.pending.delete(id);
    this.forget(q);
    const query = type === 'result' ? stanza.getChild('query', NS.DISCO_INFO) : undefined;
    const features = new Set(query?.getChildren('feature').map((f) => f.attrs.var ?? '') ?? []);
    if (query && q.hash && supportedCapsHash(q.hash)) {
      if (!verifiesCaps(query, q.hash, q.ver)) {
        // Poisoned or broken: nothing is cached under that ver; this resource gets no notifications.
        this.byJid.set(q.full, { key: q.key, features: NONE });
        return true;
      }
      this.byVer.set(q.key, features);
      if (this.byVer.size > this.capacity) this.byVer.delete(this.byVer.keys().next().value!);
    } else {
      this.byJid.set(q.full, { key: q.key, features: query ? features : NONE });
    }
    for (const session of this.ctx.sessions.all()) {
      if (session.available && this.keyOf(session) === q.key && this.featuresOf(session) !== undefined) this.learned(session);
    }
    return true;
  }
}

/** The NodeIDs a resource asked notifications for ('<node>+notify', XEP-0060 9.2). */
export function notifyNodes(features: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const f of features) if (f.endsWith('+notify')) out.add(f.slice(0, -7));
  return out;
}
