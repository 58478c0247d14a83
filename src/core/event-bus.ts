// The server's event bus: handlers run by descending priority and the first one that returns
// `true` (or a promise of true) stops the event, as Prosody's util/events does. Modules extend the
// server by hooking events instead of editing the router.

export type Handler<E> = (event: E) => boolean | void | Promise<boolean | void>;

interface Entry<E> {
  handler: Handler<E>;
  priority: number;
}

export class EventBus {
  private readonly handlers = new Map<string, Entry<any>[]>();

  on<E>(name: string, handler: Handler<E>, priority = 0): () => void {
    const list = this.handlers.get(name) ?? [];
    list.push({ handler, priority });
    list.sort((a, b) => b.priority - a.priority);
    this.handlers.set(name, list);
    return () => {
      const current = this.handlers.get(name);
      if (!current) return;
      const i = current.findIndex((e) => e.handler === handler);
      if (i !== -1) current.splice(i, 1);
    };
  }

  has(name: string): boolean {
    return (this.handlers.get(name)?.length ?? 0) > 0;
  }

  /** Runs handlers in priority order; resolves true when one of them handled the event. */
  async emit<E>(name: string, event: E): Promise<boolean> {
    const list = this.handlers.get(name);
    if (!list) return false;
    for (const { handler } of list.slice()) {
      if ((await handler(event)) === true) return true;
    }
    return false;
  }

  /** Like emit, but every handler runs (for notifications such as "session-bound"). */
  async broadcast<E>(name: string, event: E): Promise<void> {
    const list = this.handlers.get(name);
    if (!list) return;
    for (const { handler } of list.slice()) await handler(event);
  }
}
