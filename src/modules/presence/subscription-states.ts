// RFC 6121 section 3 and Appendix A: how each subscription stanza changes the roster item on the
// sender's side (outbound, A.2) and on the recipient's side (inbound, A.3). Pure functions over the
// item's (subscription, ask, approved); the presence module applies the results.

import type { RosterItem, Subscription } from '../../storage/roster-store.js';

export type SubscriptionType = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';

export interface ItemState {
  subscription: Subscription;
  ask: boolean;
  approved: boolean;
}

export const NO_ITEM: ItemState = { subscription: 'none', ask: false, approved: false };

export function stateOf(item: RosterItem | undefined): ItemState {
  return item ? { subscription: item.subscription, ask: item.ask, approved: item.approved } : NO_ITEM;
}

const hasTo = (s: Subscription) => s === 'to' || s === 'both';
const hasFrom = (s: Subscription) => s === 'from' || s === 'both';
const withTo = (s: Subscription, on: boolean): Subscription =>
  on ? (hasFrom(s) ? 'both' : 'to') : hasFrom(s) ? 'from' : 'none';
const withFrom = (s: Subscription, on: boolean): Subscription =>
  on ? (hasTo(s) ? 'both' : 'from') : hasTo(s) ? 'to' : 'none';

/** The user sends `type` to the contact: the user's own item (Appendix A.2). */
export function outbound(state: ItemState, type: SubscriptionType, hasPendingIn: boolean): ItemState {
  switch (type) {
    case 'subscribe':
      return hasTo(state.subscription) ? state : { ...state, ask: true };
    case 'unsubscribe':
      return { ...state, subscription: withTo(state.subscription, false), ask: false };
    case 'subscribed':
      // Approving a pending request grants 'from'; with no request it is a pre-approval (3.4).
      if (hasFrom(state.subscription)) return state;
      return hasPendingIn ? { ...state, subscription: withFrom(state.subscription, true), approved: false } : { ...state, approved: true };
    case 'unsubscribed':
      return { ...state, subscription: withFrom(state.subscription, false), approved: false };
  }
}

/** The contact receives `type` from the user: the contact's item for the user (Appendix A.3). */
export function inbound(state: ItemState, type: SubscriptionType): { state: ItemState; deliver: boolean; autoReply?: 'subscribed' } {
  switch (type) {
    case 'subscribe':
      // 3.1.3: already subscribed, or pre-approved: the server answers on the contact's behalf.
      if (hasFrom(state.subscription)) return { state, deliver: false, autoReply: 'subscribed' };
      if (state.approved) {
        return { state: { ...state, subscription: withFrom(state.subscription, true), approved: false }, deliver: false, autoReply: 'subscribed' };
      }
      return { state, deliver: true };
    case 'subscribed':
      // 3.1.6: only meaningful when we asked.
      if (!state.ask || hasTo(state.subscription)) return { state, deliver: false };
      return { state: { ...state, subscription: withTo(state.subscription, true), ask: false }, deliver: true };
    case 'unsubscribe':
      if (!hasFrom(state.subscription)) return { state, deliver: false };
      return { state: { ...state, subscription: withFrom(state.subscription, false) }, deliver: true };
    case 'unsubscribed':
      if (!hasTo(state.subscription) && !state.ask) return { state, deliver: false };
      return { state: { ...state, subscription: withTo(state.subscription, false), ask: false }, deliver: true };
  }
}

export function changed(a: ItemState, b: ItemState): boolean {
  return a.subscription !== b.subscription || a.ask !== b.ask || a.approved !== b.approved;
}

export { hasFrom, hasTo };
