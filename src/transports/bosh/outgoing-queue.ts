// XEP-0124 section 8: stanzas from the stream engine wait here until a request can carry them; bounded in
// bytes (DESIGN section 7: a slow consumer is cut off rather than allowed to hold memory).

export class OutgoingQueue {
  private items: string[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Queues a serialised stanza; false once the queue holds more than its byte limit. */
  push(serialised: string): boolean {
    this.items.push(serialised);
    this.bytes += Buffer.byteLength(serialised);
    return this.bytes <= this.maxBytes;
  }

  get length(): number {
    return this.items.length;
  }

  /** Everything queued, in order; the queue is empty afterwards. */
  take(): string[] {
    const taken = this.items;
    this.items = [];
    this.bytes = 0;
    return taken;
  }
}
