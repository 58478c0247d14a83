// A typed event emitter that runs unchanged in browsers and in Node (node:events is not available to
// an unbundled browser module). A listener that throws does not stop the others: it is reported to
// the 'error' listeners, or to the console when there are none.

export type Listener<T> = (value: T) => void;

export class Emitter<Events extends { error: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  protected emit<K extends keyof Events>(event: K, value: Events[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<Events[K]>)(value);
      } catch (err) {
        if (event !== 'error' && (this.listeners.get('error')?.size ?? 0) > 0) this.emit('error', err as Events['error']);
        else console.error(err);
      }
    }
  }
}
