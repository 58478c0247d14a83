// XEP-0124 sections 10, 11, 12, 13 and XEP-0206 sections 2, 3, 5: what a request's <body/> asks for, and
// its payload put into the namespace the stream engine expects.

import { NS } from '../../protocol/namespaces.js';
import { isXmlTrue, xboshAttribute } from '../../protocol/xep0124.js';
import type { Element } from '../../xml/element.js';
import type { BoshRequest, BoshStreamHeader } from './types.js';

export function isPauseOrTerminate(request: BoshRequest): boolean {
  return request.attrs.type === 'terminate' || request.attrs.pause !== undefined;
}

export function isRestart(request: BoshRequest): boolean {
  return isXmlTrue(xboshAttribute(request.attrs, 'restart'));
}

/** An empty request that asks for nothing but data: what sections 11 and 12 call polling. */
export function isBarePoll(request: BoshRequest): boolean {
  return request.payload.length === 0 && !isPauseOrTerminate(request) && !isRestart(request);
}

/** The header a <body/> asks for; a restart takes what it leaves out from the creation request's. */
export function streamHeader(attrs: Record<string, string>, creation?: BoshStreamHeader): BoshStreamHeader {
  return {
    to: attrs.to ?? creation?.to,
    from: attrs.from ?? creation?.from,
    lang: attrs['xml:lang'] ?? creation?.lang,
    version: xboshAttribute(attrs, 'version') ?? creation?.version,
    route: attrs.route ?? creation?.route,
    attrs,
  };
}

/** XEP-0206 section 2: stanzas without their own namespace inherit httpbind from <body/>; they mean jabber:client. */
export function toClientNamespace(payload: Element[]): Element[] {
  for (const el of payload) {
    if (el.prefix === null && (el.attrs.xmlns === undefined || el.attrs.xmlns === NS.HTTPBIND)) el.attrs.xmlns = NS.CLIENT;
  }
  return payload;
}
