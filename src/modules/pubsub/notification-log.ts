// XEP-0060 12.3 (handling notification-related errors): every notification carries an id unique within
// the service, remembered for a while with the node it was about, so that a bounced notification can be
// traced back to the subscription that caused it.

import { randomBytes } from 'node:crypto';

export interface SentNotification {
  service: string;
  node: string;
}

export class NotificationLog {
  private readonly prefix = randomBytes(4).toString('hex');
  private counter = 0;
  private readonly recent = new Map<string, SentNotification>();

  constructor(private readonly capacity = 10_000) {}

  /** A new notification id, remembered with its service and node. */
  next(sent: SentNotification): string {
    const id = `ps-${this.prefix}-${(++this.counter).toString(36)}`;
    this.recent.set(id, sent);
    if (this.recent.size > this.capacity) {
      // Maps iterate in insertion order: the first key is the oldest.
      this.recent.delete(this.recent.keys().next().value!);
    }
    return id;
  }

  lookup(id: string | undefined): SentNotification | undefined {
    return id === undefined ? undefined : this.recent.get(id);
  }
}
