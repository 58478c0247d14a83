// XEP-0198 on one stream: <enable/> (section 3), <r/> and <a/> (section 4), <resume/> (section 5),
// and what happens to the session when the stream ends. The state that outlives a connection is in
// stream-management.ts. Not offered over BOSH, whose own acknowledgements (XEP-0124 section 9) play
// that role.

import type { Element } from '../xml/element.js';
import { NS } from '../protocol/namespaces.js';
import type { StreamEngine } from './stream-engine.js';
import { endReplacedSession, newSession, sessionOutput } from './resource-binding.js';
import {
  enabledXml,
  failedXml,
  handBackUnacknowledged,
  parseH,
  restoreSessionState,
  type SmStream,
  type StreamManagementState,
} from './stream-management.js';

export class StreamManagement {
  state: StreamManagementState | undefined;

  constructor(private readonly engine: StreamEngine) {}

  get offered(): boolean {
    return this.engine.ctx.streamManagement !== undefined && this.engine.transport.kind !== 'bosh';
  }

  private get registry() {
    return this.engine.ctx.streamManagement!;
  }

  private stream(): SmStream {
    const e = this.engine;
    return {
      writeNonza: (s) => e.writeNonza(s),
      writeRaw: (s) => e.writeRaw(s),
      fail: (condition, text) => e.fail(condition, text),
      supersede: () => e.supersede(),
    };
  }

  /** Before binding only <resume/> makes sense; <enable/> needs a bound resource (section 3). */
  async handleBeforeBind(el: Element): Promise<void> {
    if (el.localName !== 'resume') return this.engine.writeNonza(failedXml('unexpected-request'));
    const previd = el.attrs.previd ?? '';
    const h = parseH(el);
    const state = this.registry.get(previd);
    if (!state && this.registry.elsewhere && h !== undefined) return this.resumeFromElsewhere(previd, h);
    if (!state || state.session.username !== this.engine.username || state.session.closed) {
      return this.engine.writeNonza(failedXml('item-not-found'));
    }
    if (h === undefined) return this.engine.writeNonza(failedXml('bad-request'));
    // The old connection may not have noticed it is dead yet: it steps aside.
    state.stream?.supersede();
    if (!state.acknowledge(h)) {
      return this.engine.fail('undefined-condition', 'The h attribute acknowledges stanzas that were never sent');
    }
    state.session.attach(sessionOutput(this.engine));
    this.resumed(state, h);
  }

  /**
   * The session is held by another process of the cluster: it hands the session over (counters,
   * unacknowledged stanzas, presence) and the session continues here, under the same full JID and id.
   */
  private async resumeFromElsewhere(previd: string, h: number): Promise<void> {
    const taken = await this.registry.elsewhere!.take(previd, this.engine.username!);
    if (!taken) return this.engine.writeNonza(failedXml('item-not-found'));
    if (this.engine.isClosed) return taken.installed(undefined);
    const session = newSession(this.engine);
    restoreSessionState(session, taken.session);
    const previous = this.engine.ctx.sessions.add(session);
    if (previous) await endReplacedSession(this.engine, previous);
    // Stanzas that reached this process during the hand-over queue behind the unacknowledged ones.
    const state = this.registry.create(session, true, taken.session);
    this.state = state;
    taken.installed(session);
    await this.engine.ctx.bus.broadcast('session-resumed', { session });
    if (!state.acknowledge(h)) {
      return this.engine.fail('undefined-condition', 'The h attribute acknowledges stanzas that were never sent');
    }
    this.resumed(state, h);
  }

  /** Section 5: <resumed/> with what we handled, then everything the client has not acknowledged. */
  private resumed(state: StreamManagementState, h: number): void {
    this.state = state;
    this.engine.bound(state.session);
    this.engine.writeNonza(`<resumed xmlns='${NS.SM}' previd='${state.id}' h='${state.inbound}'/>`);
    state.reattach(this.stream(), h);
  }

  async handle(el: Element): Promise<void> {
    switch (el.localName) {
      case 'enable': {
        if (this.state) return this.engine.writeNonza(failedXml('unexpected-request'));
        const resumable = el.attrs.resume === 'true' || el.attrs.resume === '1';
        this.state = this.registry.create(this.engine.session!, resumable);
        this.state.stream = this.stream();
        this.engine.writeNonza(enabledXml(this.state, this.registry.options));
        return;
      }
      case 'r':
        if (!this.state) return this.engine.writeNonza(failedXml('unexpected-request'));
        return this.engine.writeNonza(`<a xmlns='${NS.SM}' h='${this.state.inbound}'/>`);
      case 'a': {
        const h = parseH(el);
        if (!this.state || h === undefined) return this.engine.fail('undefined-condition', 'Invalid acknowledgement');
        if (!this.state.acknowledge(h)) {
          return this.engine.fail('undefined-condition', 'The h attribute acknowledges stanzas that were never sent');
        }
        return;
      }
      case 'resume':
        return this.engine.writeNonza(failedXml('unexpected-request'));
      default:
        return this.engine.fail('unsupported-stanza-type', `Unknown stream management element ${el.localName}`);
    }
  }

  countInbound(): void {
    this.state?.countInbound();
  }

  /** The connection broke: true when the session waits for a resume instead of ending. */
  detach(end: () => Promise<void>): boolean {
    const state = this.state;
    if (!state || !state.resumable) return false;
    state.detach(() => void end());
    return true;
  }

  /** The session ended: what the client never acknowledged is handed back (section 5). */
  async handBack(): Promise<void> {
    const state = this.state;
    if (!state) return;
    this.registry.forget(state);
    this.state = undefined;
    await handBackUnacknowledged(this.engine.ctx.router, state.unacknowledged.slice());
  }
}
