// The JID argument of `almanac user ...` and `almanac token create` (RFC 7622): `alice@example.com` or
// just `alice`, which means alice at the configured domain. Parts are normalised by src/jid exactly as
// the server normalises them at login, so `Alice` and `alice` name the same account.

import { InvalidJidError, jid, parseJid, type Jid } from '../jid/index.js';
import { UsageError } from './exit-codes.js';

/** The account's bare JID; throws UsageError for an invalid JID, a full JID or another domain. */
export function accountJid(argument: string, domain: string, command: string): Jid {
  let parsed: Jid;
  try {
    parsed = argument.includes('@') ? parseJid(argument) : jid(argument, domain);
  } catch (err) {
    if (err instanceof InvalidJidError) throw new UsageError(`"${argument}" is not a valid account: ${err.message}`, command);
    throw err;
  }
  if (parsed.local === undefined) throw new UsageError(`"${argument}" has no username`, command);
  if (parsed.resource !== undefined) throw new UsageError(`"${argument}" names a resource; give the bare JID ${parsed.bare().toString()}`, command);
  if (parsed.domain !== domain) {
    throw new UsageError(`${parsed.toString()} is not on this server's domain ${domain} (set --domain to manage another)`, command);
  }
  return parsed;
}
