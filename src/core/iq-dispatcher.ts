// RFC 6120 section 8.2.3: every get/set IQ gets exactly one result or error. Handlers are registered
// per (target, type, payload namespace, payload name); what a handler returns becomes the result,
// what it throws becomes the error (a storage fault one of type wait, 8.3.2), and an IQ nobody handles
// gets service-unavailable (8.4) — the pattern of xmpp.js's iq/callee.

import { log } from './log.js';
import { Element, xml } from '../xml/element.js';
import { errorReply } from '../protocol/stanza-error.js';
import { StanzaError, stanzaErrorFor } from './stanza-error.js';
import type { ClientSession } from './client-session.js';
import { storageFault } from '../storage/storage-fault.js';

/** host: addressed to the server itself; account: to a local user's bare JID (or no `to`). */
export type IqTarget = 'host' | 'account' | string;

export interface IqRequest {
  stanza: Element;
  /** The single payload child. */
  payload: Element;
  /** Sender (full JID as stamped by the server). */
  from: string;
  /** Recipient address (the server domain, a bare account JID or a service domain). */
  to: string;
  /** The session it came from, when it came from a local client. */
  origin?: ClientSession;
}

export type IqHandler = (req: IqRequest) => Promise<Element | undefined | void> | Element | undefined | void;

export class IqDispatcher {
  private readonly handlers = new Map<string, IqHandler>();
  private readonly namespaces = new Map<string, Set<string>>();

  register(target: IqTarget, type: 'get' | 'set', ns: string, name: string, handler: IqHandler): void {
    this.handlers.set(`${target} ${type} ${ns} ${name}`, handler);
    let set = this.namespaces.get(target);
    if (!set) this.namespaces.set(target, (set = new Set()));
    set.add(ns);
  }

  find(target: IqTarget, type: string, payload: Element): IqHandler | undefined {
    return this.handlers.get(`${target} ${type} ${payload.getNS() ?? ''} ${payload.localName}`);
  }

  /**
   * Dispatches a get/set IQ and returns the reply to send; undefined when it is not a get/set or
   * when no handler exists (the caller decides: service-unavailable, or routing elsewhere).
   */
  async dispatch(target: IqTarget, req: Omit<IqRequest, 'payload'>): Promise<Element | undefined> {
    const { stanza } = req;
    const type = stanza.attrs.type;
    if (type !== 'get' && type !== 'set') return undefined;
    const children = stanza.getChildElements();
    if (children.length !== 1) {
      return errorReply(stanza, { condition: 'bad-request', text: 'An IQ get or set has exactly one child' });
    }
    const payload = children[0]!;
    const handler = this.find(target, type, payload);
    if (!handler) return undefined;
    return runHandler(handler, { ...req, payload });
  }
}

export async function runHandler(handler: IqHandler, req: IqRequest): Promise<Element> {
  const { stanza } = req;
  try {
    const result = await handler(req);
    return resultReply(stanza, result ?? undefined);
  } catch (err) {
    if (err instanceof StanzaError) return errorReply(stanza, err.spec);
    // PostgreSQL being away is logged once, by the pool: a line per refused IQ would drown it. A busy or
    // full database is worth a short warning each time; anything else is a bug and keeps its stack.
    const fault = storageFault(err);
    if (fault === 'unavailable') log.debug({ ns: req.payload.getNS() }, 'iq refused: storage unavailable');
    else if (fault) log.warn({ ns: req.payload.getNS(), fault }, 'iq refused: storage fault');
    else log.error({ err, ns: req.payload.getNS() }, 'iq handler failed');
    return errorReply(stanza, stanzaErrorFor(err));
  }
}

export function resultReply(stanza: Element, payload?: Element): Element {
  const attrs: Record<string, string> = { type: 'result', id: stanza.attrs.id ?? '' };
  if (stanza.attrs.from !== undefined) attrs.to = stanza.attrs.from;
  if (stanza.attrs.to !== undefined) attrs.from = stanza.attrs.to;
  return xml('iq', attrs, payload);
}
