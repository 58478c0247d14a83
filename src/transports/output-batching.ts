// DESIGN.md section 7: a connection's output is batched, so that one write system call carries every
// stanza a tick produced for it (cork, then uncork once the tick is over). A connection that only
// receives (a pubsub subscriber in a burst of notifications) is flushed at most once a millisecond: the
// write system call is most of what a notification costs on a virtual machine, and a burst then needs
// far fewer of them. A connection whose client sent something since the last flush (a conversation, IQ
// round trips) is flushed at the end of the tick as before, so its latency does not change.

/** Output this soon after the previous flush, with nothing heard from the client, is part of a burst. */
const PUSH_BURST_MS = 2;
/** How long a burst's output is gathered before it is written. */
const COALESCE_MS = 1;

/** A socket whose writes can be held back (node:net's Socket and TLSSocket). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

export class OutputBatching {
  private corked = false;
  private lastFlush = 0;
  private heardSinceFlush = true;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The client sent something: its next answer should not wait. */
  heard(): void {
    this.heardSinceFlush = true;
  }

  /** Call before each write to `socket`: holds the write back until the batch is flushed. */
  beforeWrite(socket: Corkable): void {
    if (this.corked) return;
    this.corked = true;
    socket.cork();
    const pushOnly = !this.heardSinceFlush && this.now() - this.lastFlush < PUSH_BURST_MS;
    // The socket is passed along: STARTTLS may replace the connection's socket before the flush.
    if (pushOnly) setTimeout(flush, COALESCE_MS, this, socket);
    else process.nextTick(flush, this, socket);
  }

  /** @internal the end of a batch (see flush below). */
  flushed(socket: Corkable): void {
    this.corked = false;
    this.heardSinceFlush = false;
    this.lastFlush = this.now();
    socket.uncork();
  }
}

// A module function rather than a bound method: no closure per connection (idle memory, DESIGN.md 7).
function flush(batching: OutputBatching, socket: Corkable): void {
  batching.flushed(socket);
}
