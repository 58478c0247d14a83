// Waiting for a StanzaJS client's events in interop tests (BOSH and WebSocket alike).

import type { Agent } from 'stanza';

/** Resolves with the next `event` of `emitter` that matches, or fails after `ms`. */
export function waitFor<T>(emitter: Agent, event: string, match: (v: T) => boolean = () => true, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), ms);
    const on = (v: T) => {
      if (!match(v)) return;
      clearTimeout(t);
      emitter.off(event as never, on as never);
      resolve(v);
    };
    emitter.on(event as never, on as never);
  });
}
