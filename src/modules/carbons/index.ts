// XEP-0280 Message Carbons (1.0.1): enabling and disabling per session (sections 4, 5, 9.1), the disco
// feature (section 3), received copies (section 7) and sent copies (section 8) of the eligible messages
// (section 6.1, eligibility.ts). Copies go through the session registry, so a resource held by another
// cluster process is reached like a local one; the enabled flag travels as the session flag 'carbons'
// ('session/flag': this module fires it for its sessions, src/cluster for those of other processes).
//
// A message between two resources of the same account is the user's own outbound message: every
// other enabled resource gets one <sent/> copy, and no resource gets the same message twice (the
// receivers have the original, the sender wrote it).

import type { ModuleContext, SessionFlagEvent } from '../../core/module-context.js';
import type { ClientSession } from '../../core/client-session.js';
import { bareOf, type DeliveredMessage, type RoutedStanza } from '../../core/router.js';
import { fail } from '../../core/stanza-error.js';
import type { IqRequest } from '../../core/iq-dispatcher.js';
import type { Element } from '../../xml/element.js';
import { CARBONS, isCarbonEligible, type CarbonDirection } from './eligibility.js';
import { carbonCopy, forwardedOriginal } from './carbon-copy.js';

/** The session flag of resources that enabled carbons. */
export const CARBONS_FLAG = 'carbons';

export interface CarbonsModule {
  /** Whether the session asked for carbons (section 4). */
  isEnabled(session: ClientSession): boolean;
}

export function carbonsModule(ctx: ModuleContext): CarbonsModule {
  // A session object lives as long as its stream (and survives XEP-0198 resumption), so the flag does too.
  const enabled = new WeakSet<ClientSession>();
  ctx.disco.addFeature(CARBONS);

  ctx.bus.on<SessionFlagEvent>('session/flag', ({ session, flag, on }) => {
    if (flag !== CARBONS_FLAG) return;
    if (on) enabled.add(session);
    else enabled.delete(session);
  });

  const toggle = (on: boolean) => async ({ from, origin }: IqRequest): Promise<undefined> => {
    // 4.1 / 5.1: only a client of this server, for its own session.
    if (!origin || origin.full !== from) fail('not-allowed');
    // 9.1: repeating an enable or a disable is not an error. The result waits until a cluster's other
    // processes know, so copies made there from then on reach this resource.
    if (enabled.has(origin) !== on) await ctx.bus.broadcast<SessionFlagEvent>('session/flag', { session: origin, flag: CARBONS_FLAG, on });
    return undefined;
  };
  // The enable IQ has no `to` (the account); some clients address the server: both mean this session.
  for (const target of ['account', 'host'] as const) {
    ctx.iq.register(target, 'set', CARBONS, 'enable', toggle(true));
    ctx.iq.register(target, 'set', CARBONS, 'disable', toggle(false));
  }

  /** One copy to each enabled resource of `userBare` except those in `skip`. */
  function copyTo(direction: CarbonDirection, userBare: string, message: Element, skip: ClientSession[]): void {
    let inner: Element | undefined;
    for (const session of ctx.sessions.resourcesOf(userBare)) {
      if (session.closed || skip.includes(session) || !isEnabled(session)) continue;
      inner ??= forwardedOriginal(message);
      session.send(carbonCopy(direction, userBare, session.full, inner));
    }
  }

  function isEnabled(session: ClientSession): boolean {
    return enabled.has(session);
  }

  // Section 8: what a client sends, to anyone but its own account (that case waits for delivery below).
  ctx.bus.on<RoutedStanza>('stanza/outbound', ({ stanza, origin, toBare }) => {
    if (stanza.name !== 'message' || !origin || toBare === origin.bare) return false;
    if (isCarbonEligible(stanza, 'sent')) copyTo('sent', origin.bare, stanza, [origin]);
    return false;
  });

  // Section 7: after RFC 6121 delivery, the enabled resources that did not get the original.
  ctx.bus.on<DeliveredMessage>('message/delivered', ({ stanza, from, toBare, origin, recipients }) => {
    const own = bareOf(from) === toBare;
    if (own) {
      const sender = origin ?? ctx.sessions.get(from);
      if (isCarbonEligible(stanza, 'sent')) copyTo('sent', toBare, stanza, sender ? [sender, ...recipients] : recipients);
      return;
    }
    if (isCarbonEligible(stanza, 'received')) copyTo('received', toBare, stanza, recipients);
  });

  return { isEnabled };
}
