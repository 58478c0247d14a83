// Pending subscription requests (XEP-0060 8.6 approval forms, 8.7 the get-pending ad-hoc command of
// XEP-0050): an owner executes http://jabber.org/protocol/pubsub#get-pending, picks a node from the form,
// and gets one subscribe_authorization form per pending request; submitting a form back (by message)
// approves or denies, cancelling leaves the request pending.

import { randomBytes } from 'node:crypto';
import { xml, type Element } from '../../xml/element.js';
import { dataFormElement, fieldValue, findForm, formType, parseDataForm, parseBoolean } from '../../protocol/data-form.js';
import { PubsubFailure, unwrap } from './pubsub-errors.js';
import type { ServiceScope } from './pubsub-request.js';
import { FORM_TYPES } from './submitted-form.js';

export const COMMANDS_NS = 'http://jabber.org/protocol/commands';
export const GET_PENDING_NODE = 'http://jabber.org/protocol/pubsub#get-pending';

/** Command sessions live this long between the form and its submission. */
const SESSION_MS = 10 * 60_000;
const MAX_SESSIONS = 1000;

function commandError(condition: 'bad-request' | 'not-allowed' | 'item-not-found', specific?: string, type?: 'modify' | 'cancel'): PubsubFailure {
  return new PubsubFailure({
    condition,
    ...(type ? { type } : {}),
    ...(specific ? { application: xml(specific, { xmlns: COMMANDS_NS }) } : {}),
  });
}

export class PendingCommand {
  /** sessionid → requester bare JID and expiry. */
  private readonly sessions = new Map<string, { requester: string; expires: number }>();

  /** Answers an IQ-set <command/> (XEP-0050 3.4, 3.5, 4.1); `after` receives what follows the result. */
  async execute(scope: ServiceScope, from: string, command: Element, after: Array<() => void>): Promise<Element> {
    if (command.attrs.node !== GET_PENDING_NODE) throw commandError('item-not-found');
    const requester = bareOf(from);
    const action = command.attrs.action ?? 'execute';
    if (!['execute', 'complete', 'cancel', 'next', 'prev'].includes(action)) throw commandError('bad-request', 'malformed-action', 'modify');
    const sessionid = command.attrs.sessionid;
    if (sessionid === undefined) {
      if (action !== 'execute') throw commandError('bad-request', 'bad-action', 'modify');
      return this.start(scope, from, requester);
    }
    const session = this.sessions.get(sessionid);
    if (!session || session.requester !== requester) throw commandError('bad-request', 'bad-sessionid', 'modify');
    this.sessions.delete(sessionid);
    if (session.expires < Date.now()) throw commandError('not-allowed', 'session-expired', 'cancel');
    if (action === 'cancel') return xml('command', { xmlns: COMMANDS_NS, node: GET_PENDING_NODE, sessionid, status: 'canceled' });
    if (action !== 'execute' && action !== 'complete') throw commandError('bad-request', 'bad-action', 'modify');
    const x = findForm(command);
    const node = x ? fieldValue(parseDataForm(x), 'pubsub#node') : undefined;
    if (!node) throw commandError('bad-request', 'bad-payload', 'modify');
    const pending = unwrap(await scope.engine.getPending(from, node));
    // Sent after the command completes: one approval form per pending request (8.7.4).
    after.push(() => {
      for (const sub of pending) {
        scope.notifier.notify({
          kind: 'authorization',
          service: scope.jid,
          node,
          subscription: { jid: sub.jid, state: 'pending', subid: sub.subid },
          notificationType: 'normal',
          recipients: [{ jid: from, subids: [] }],
        });
      }
    });
    return xml('command', { xmlns: COMMANDS_NS, node: GET_PENDING_NODE, sessionid, status: 'completed' });
  }

  private async start(scope: ServiceScope, from: string, requester: string): Promise<Element> {
    const nodes = unwrap(await scope.engine.getPendingNodes(from));
    // 8.7.3.3: an entity that owns nothing has nothing to approve.
    if (nodes.length === 0) throw new PubsubFailure({ condition: 'forbidden', type: 'cancel' });
    const sessionid = `pending-${randomBytes(8).toString('hex')}`;
    this.sessions.set(sessionid, { requester, expires: Date.now() + SESSION_MS });
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    return xml(
      'command',
      { xmlns: COMMANDS_NS, node: GET_PENDING_NODE, sessionid, status: 'executing' },
      xml('actions', { execute: 'complete' }, xml('complete')),
      dataFormElement({
        type: 'form',
        title: 'Pending subscription requests',
        fields: [
          { var: 'FORM_TYPE', type: 'hidden', values: [FORM_TYPES.subscribeAuthorization] },
          { var: 'pubsub#node', type: 'list-single', label: 'Node', values: [], options: nodes.map((value) => ({ value })) },
        ],
      }),
    );
  }
}

/**
 * An owner's answer to an approval form (8.6), carried by a message: allow subscribes, deny removes,
 * a cancelled form leaves the request pending. Undefined when the message carries no such form.
 */
export async function authorizationAnswer(scope: ServiceScope, from: string, message: Element): Promise<'approved' | 'denied' | 'cancelled' | undefined> {
  const x = findForm(message);
  if (!x) return undefined;
  let form;
  try {
    form = parseDataForm(x);
  } catch {
    return undefined;
  }
  if (form.type === 'cancel') return formType(form) === FORM_TYPES.subscribeAuthorization || formType(form) === undefined ? 'cancelled' : undefined;
  if (form.type !== 'submit' || formType(form) !== FORM_TYPES.subscribeAuthorization) return undefined;
  const node = fieldValue(form, 'pubsub#node');
  const raw = fieldValue(form, 'pubsub#subscriber_jid');
  const jid = raw === undefined ? undefined : scope.ctx.normalizeJid(raw);
  const allow = parseBoolean(fieldValue(form, 'pubsub#allow'));
  if (!node || !jid || allow === undefined) throw new PubsubFailure({ condition: 'bad-request', text: 'the approval form needs node, subscriber_jid and allow' });
  const subid = fieldValue(form, 'pubsub#subid') || undefined;
  unwrap(allow ? await scope.engine.approve(from, node, jid, subid) : await scope.engine.deny(from, node, jid, subid));
  return allow ? 'approved' : 'denied';
}

function bareOf(jid: string): string {
  const slash = jid.indexOf('/');
  return slash === -1 ? jid : jid.slice(0, slash);
}

