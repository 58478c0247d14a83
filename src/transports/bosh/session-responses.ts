// XEP-0124 section 7.2 (the session creation response), 13 (acknowledging a client's terminate), 17.2-17.3
// (terminal and recoverable binding conditions) and XEP-0206 section 4 ('xmpp:version',
// 'xmpp:restartlogic'): the <body/> shapes the session answers with, apart from ordinary payload bodies.

import { terminalHttpStatus, type BoshCondition } from '../../protocol/xep0124.js';
import type { BoshLimits } from './config.js';
import type { BoshSessionParams } from './session-params.js';
import type { BoshResponse } from './types.js';

/** The attributes only the creation response carries (section 7.2 says not to repeat them later). */
export function creationAttributes(sid: string, params: BoshSessionParams, limits: BoshLimits): Record<string, string> {
  const attrs: Record<string, string> = {
    sid,
    wait: String(params.wait),
    requests: String(params.requests),
    hold: String(params.hold),
    inactivity: String(params.inactivity),
    polling: String(params.polling),
  };
  if (params.maxPause > 0) attrs.maxpause = String(params.maxPause);
  if (params.ver !== undefined) attrs.ver = params.ver;
  attrs.from = params.to;
  // Section 9.1: acknowledging from the start, with the creation rid, is what makes a missing 'ack' meaningful.
  if (params.acks) attrs.ack = String(params.initialRid);
  if (limits.accept !== undefined) attrs.accept = limits.accept;
  if (limits.charsets !== undefined) attrs.charsets = limits.charsets;
  attrs['xmpp:version'] = '1.0';
  attrs['xmpp:restartlogic'] = 'true';
  return attrs;
}

/** A terminal binding condition (section 17.2), as HTTP 400/403/404 for a legacy client (section 17.1). */
export function terminalResponse(params: BoshSessionParams, condition: BoshCondition, payload: readonly string[] = []): BoshResponse {
  return {
    status: terminalHttpStatus(condition, params.legacy),
    contentType: params.contentType,
    attrs: { type: 'terminate', condition },
    payload,
  };
}

/** A terminal condition for a request that has no session to take its parameters from. */
export function sessionlessTerminalResponse(condition: BoshCondition, legacy: boolean, contentType: string): BoshResponse {
  return { status: terminalHttpStatus(condition, legacy), contentType, attrs: { type: 'terminate', condition }, payload: [] };
}

/** Section 13: the connection manager's acknowledgement of a client's terminate. */
export function terminateAcknowledgement(params: BoshSessionParams): BoshResponse {
  return { status: 200, contentType: params.contentType, attrs: { type: 'terminate' }, payload: [] };
}

export function emptyResponse(params: BoshSessionParams): BoshResponse {
  return { status: 200, contentType: params.contentType, attrs: {}, payload: [] };
}

/** Section 17.3: the client resends this request and every earlier unanswered one. */
export function recoverableErrorResponse(params: BoshSessionParams): BoshResponse {
  return { status: 200, contentType: params.contentType, attrs: { type: 'error' }, payload: [] };
}
