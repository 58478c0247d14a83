// RFC 6120 section 7: resource binding. A client-chosen resource is prepared per RFC 7622; an empty
// one gets a server-generated resource (7.6). On a conflict (7.7.2.2) the new session wins and the
// old one is closed with a <conflict/> stream error, the policy most clients expect on reconnect.

import { randomBytes } from 'node:crypto';
import type { Element } from '../xml/element.js';
import { NS } from '../protocol/namespaces.js';
import { errorReply } from '../protocol/stanza-error.js';
import { escapeAttribute, escapeText } from '../xml/escape.js';
import { ClientSession, type SessionOutput } from '../core/client-session.js';
import type { StreamEngine } from './stream-engine.js';

/** How a bound session's stanzas reach its stream. */
export function sessionOutput(engine: StreamEngine): SessionOutput {
  return {
    writeStanza: (s) => engine.writeStanza(s),
    close: (condition, text) => (condition ? engine.fail(condition, text) : engine.close()),
  };
}

/** A session of the authenticated user on this stream (its resource is set by the caller). */
export function newSession(engine: StreamEngine): ClientSession {
  const session = new ClientSession(engine.id, engine.username!, engine.ctx.domain, engine.transport.kind, engine.transport.remoteAddress, sessionOutput(engine));
  session.mechanism = engine.mechanism;
  session.secure = engine.transport.secure;
  return session;
}

/** 7.7.2.2: the older session with the same full JID ends with <conflict/>. */
export async function endReplacedSession(engine: StreamEngine, previous: ClientSession): Promise<void> {
  previous.closed = true;
  previous.close('conflict', 'Replaced by a new connection with the same resource');
  await engine.ctx.bus.broadcast('session-ended', { session: previous, replaced: true });
}

export async function bindResource(engine: StreamEngine, iq: Element, bind: Element): Promise<void> {
  const { ctx } = engine;
  const requested = bind.getChildText('resource');
  let resource: string | undefined;
  if (requested === undefined || requested.trim() === '') {
    resource = randomBytes(6).toString('hex');
  } else {
    resource = ctx.prepareResource(requested);
    if (resource === undefined) {
      engine.writeNonza(errorReply(iq, { condition: 'bad-request', text: 'Resource not allowed by RFC 7622' }).toString());
      return;
    }
  }
  const session = newSession(engine);
  session.resource = resource;
  const previous = ctx.sessions.add(session);
  engine.bound(session);
  if (previous) await endReplacedSession(engine, previous);
  engine.writeNonza(
    `<iq xmlns='${NS.CLIENT}' type='result' id='${escapeAttribute(iq.attrs.id ?? '')}'>` +
      `<bind xmlns='${NS.BIND}'><jid>${escapeText(session.full)}</jid></bind></iq>`,
  );
  await ctx.bus.broadcast('session-bound', { session });
}
