// RFC 5802 section 3: what the accounts store keeps for a password (salt, iteration count,
// StoredKey, ServerKey), and how a password given over PLAIN or the REST API is checked against it
// without ever storing the password.

import { timingSafeEqual } from 'node:crypto';
import type { CredentialHasher } from '../storage/sqlite/accounts.js';
import { deriveScramCredentials, keysFromSaltedPassword, saltedPassword } from './sasl/scram-keys.js';

export const scramHasher: CredentialHasher = {
  derive: (password, hash) => deriveScramCredentials(password, hash),
  async verify(password, stored, hash) {
    let salted: Buffer;
    try {
      salted = await saltedPassword(password, hash, stored.salt, stored.iterations);
    } catch {
      return false; // SASLprep refused the password: it cannot match anything stored
    }
    const { storedKey } = keysFromSaltedPassword(hash, salted);
    return storedKey.length === stored.storedKey.length && timingSafeEqual(storedKey, stored.storedKey);
  },
};
