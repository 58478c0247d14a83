// XEP-0124 section 15 (Protecting Insecure Sessions): each request's 'key' must hash (hex SHA-1, RFC 3174)
// to the previous request's 'newkey', or to its 'key' when it set no newkey. Hex is compared without regard
// to case, since nothing in the spec fixes the case a client writes its digits in.

import { createHash, timingSafeEqual } from 'node:crypto';
import { isBoshKey } from '../../protocol/xep0124.js';

export function boshKeyHash(key: string): string {
  return createHash('sha1').update(key, 'latin1').digest('hex');
}

export class KeySequence {
  private expected: Buffer;

  /** `newkey` is K(n), from the session creation request. */
  constructor(newkey: string) {
    this.expected = Buffer.from(newkey.toLowerCase(), 'latin1');
  }

  /**
   * Checks the key of the next request in rid order and, if it fits, moves the chain on (switching to the
   * new chain when `newkey` is given, section 15.4). A missing or wrong key leaves the state untouched.
   */
  accept(key: string | undefined, newkey: string | undefined): boolean {
    if (!isBoshKey(key)) return false;
    if (newkey !== undefined && !isBoshKey(newkey)) return false;
    const hashed = Buffer.from(boshKeyHash(key), 'latin1');
    if (hashed.length !== this.expected.length || !timingSafeEqual(hashed, this.expected)) return false;
    this.expected = Buffer.from((newkey ?? key).toLowerCase(), 'latin1');
    return true;
  }
}
