// RFC 6120 section 6.3.8 (authentication identity: a simple username, prepared like a JID
// localpart, RFC 7622 section 3.3) and section 6.3.9 (authorization identity: a bare JID the
// account may act as; here only the account's own bare JID is allowed).

import { InvalidJidError, jid, normalizeLocalpart, tryParseJid } from '../../jid/index.js';

/** The normalised username (JID localpart), or undefined when it cannot be one. */
export function prepareUsername(raw: string): string | undefined {
  try {
    return normalizeLocalpart(raw);
  } catch (e) {
    if (e instanceof InvalidJidError) return undefined;
    throw e;
  }
}

export type AuthzidCheck = { ok: true; authzid?: string } | { ok: false };

/**
 * An empty or absent authzid means "act as myself"; any other must name the account's own bare
 * JID, and is then reported back in its normalised form.
 */
export function checkAuthzid(authzid: string | undefined, username: string, domain: string): AuthzidCheck {
  if (authzid === undefined || authzid === '') return { ok: true };
  const requested = tryParseJid(authzid);
  if (!requested || requested.local === undefined || requested.resource !== undefined) return { ok: false };
  let own;
  try {
    own = jid(username, domain);
  } catch {
    return { ok: false };
  }
  return requested.equals(own) ? { ok: true, authzid: own.toString() } : { ok: false };
}
