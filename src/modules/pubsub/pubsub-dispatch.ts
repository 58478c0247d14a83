// The handler table of the pubsub stanza layer, Prosody-style: '[owner_]<iq type>_<action>' (the
// action is the first child of <pubsub/>, XEP-0060 sections 5-8) maps to one handler; anything else is
// feature-not-implemented. Errors become error IQs (engine errors with their pubsub#errors condition),
// and work queued by a handler (the last published item, 6.1.7) runs after the reply has gone out.

import { type Element } from '../../xml/element.js';
import { log } from '../../core/log.js';
import { NS } from '../../protocol/namespaces.js';
import { errorReply } from '../../protocol/stanza-error.js';
import { resultReply } from '../../core/iq-dispatcher.js';
import { StanzaError, stanzaErrorFor } from '../../core/stanza-error.js';
import type { ClientSession } from '../../core/client-session.js';
import { failureReply, PubsubFailure, requestError } from './pubsub-errors.js';
import type { PubsubRequest, ServiceScope } from './pubsub-request.js';
import { OWNER_HANDLERS } from './owner-handlers.js';
import { PUBLISHER_HANDLERS } from './publisher-handlers.js';
import { SUBSCRIBER_HANDLERS, type Handler } from './subscriber-handlers.js';

export const PUBSUB_HANDLERS: Readonly<Record<string, Handler>> = {
  ...SUBSCRIBER_HANDLERS,
  ...PUBLISHER_HANDLERS,
  ...OWNER_HANDLERS,
};

/** Whether this IQ payload is for the pubsub handlers (either pubsub namespace). */
export function isPubsubPayload(payload: Element): boolean {
  if (payload.localName !== 'pubsub') return false;
  const ns = payload.getNS();
  return ns === NS.PUBSUB || ns === NS.PUBSUB_OWNER;
}

/** The reply to any error thrown while handling `stanza`. */
export function replyForError(stanza: Element, err: unknown): Element {
  if (err instanceof PubsubFailure) return failureReply(stanza, err);
  if (!(err instanceof StanzaError)) log.error({ err }, 'pubsub request failed');
  return errorReply(stanza, stanzaErrorFor(err));
}

/** The pubsub action of an IQ whose single child is <pubsub/>: the handler the table names for it. */
export function pubsubAction(scope: ServiceScope, stanza: Element, payload: Element, from: string, after: PubsubRequest['after']): Promise<Element | undefined> {
  const action = payload.getChildElements()[0];
  if (!action) throw requestError({ condition: 'bad-request', text: '<pubsub/> names an action' });
  const owner = payload.getNS() === NS.PUBSUB_OWNER ? 'owner_' : '';
  const handler = PUBSUB_HANDLERS[`${owner}${stanza.attrs.type}_${action.localName}`];
  if (!handler) throw requestError({ condition: 'feature-not-implemented', text: `no ${stanza.attrs.type} ${action.localName} here` });
  return handler({ scope, stanza, from, pubsub: payload, action, after });
}

/**
 * Answers a get/set IQ: `work` produces the result payload or throws the error; the reply goes to the
 * requester, then the follow-up work `work` queued runs (only after a result, never after an error).
 */
export async function answerIq(
  scope: ServiceScope,
  stanza: Element,
  origin: ClientSession | undefined,
  work: (after: PubsubRequest['after']) => Promise<Element | undefined>,
): Promise<void> {
  const after: PubsubRequest['after'] = [];
  let reply: Element;
  try {
    reply = resultReply(stanza, (await work(after)) ?? undefined);
  } catch (err) {
    reply = replyForError(stanza, err);
    after.length = 0;
  }
  await scope.delivery.reply(reply, origin);
  for (const next of after) {
    try {
      await next();
    } catch (err) {
      log.error({ err }, 'pubsub follow-up failed');
    }
  }
}
