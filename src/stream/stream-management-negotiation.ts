// XEP-0198 on one stream: <enable/> (section 3), <r/> and <a/> (section 4), <resume/> (section 5),
// and what happens to the session when the stream ends. The state that outlives a connection is in
// stream-management.ts. Not offered over BOSH, whose own acknowledgements (XEP-0124 section 9) play
// that role.

import type { Element } from '../xml/element.js';
import { NS } from '../protocol/namespaces.js';
import { parseDocument } from '../xml/parse-document.js';
import type { StreamEngine } from './stream-engine.js';
import { enabledXml, failedXml, parseH, type SmStream, type StreamManagementState } from './stream-management.js';

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
    if (!state || state.session.username !== this.engine.username || state.session.closed) {
      return this.engine.writeNonza(failedXml('item-not-found'));
    }
    if (h === undefined) return this.engine.writeNonza(failedXml('bad-request'));
    // The old connection may not have noticed it is dead yet: it steps aside.
    state.stream?.supersede();
    if (!state.acknowledge(h)) {
      return this.engine.fail('undefined-condition', 'The h attribute acknowledges stanzas that were never sent');
    }
    this.state = state;
    const session = state.session;
    session.attach({
      writeStanza: (s) => this.engine.writeStanza(s),
      close: (condition, text) => (condition ? this.engine.fail(condition, text) : this.engine.close()),
    });
    this.engine.bound(session);
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

  /**
   * The session ended with stanzas the client never acknowledged: messages go back to the router
   * (another resource, or offline storage); IQ requests are answered with an error; presence is
   * dropped (XEP-0198 section 5).
   */
  async handBack(): Promise<void> {
    const state = this.state;
    if (!state) return;
    this.registry.forget(state);
    const pending = state.unacknowledged.slice();
    this.state = undefined;
    for (const serialised of pending) {
      let stanza: Element;
      try {
        stanza = parseDocument(serialised);
      } catch {
        continue;
      }
      const type = stanza.attrs.type;
      if (stanza.localName === 'message' && type !== 'error' && type !== 'groupchat') {
        await this.engine.ctx.router.route(stanza);
      } else if (stanza.localName === 'iq' && (type === 'get' || type === 'set')) {
        this.engine.ctx.router.bounce(stanza, 'service-unavailable');
      }
    }
  }
}
