// XEP-0191 section 5 (JID matching, as XEP-0016 2.1): a blocked user@domain/resource matches only that
// resource, user@domain any of its resources, domain/resource only that resource of the domain itself,
// and domain the domain, every user@domain and every domain/resource.

/** The block-list entries that would match `jid` (a normalised JID), most specific first. */
export function blockKeys(jid: string): string[] {
  const slash = jid.indexOf('/');
  const bare = slash === -1 ? jid : jid.slice(0, slash);
  const at = bare.indexOf('@');
  const domain = at === -1 ? bare : bare.slice(at + 1);
  const keys = [jid];
  if (slash !== -1) keys.push(bare);
  if (slash !== -1 && at !== -1) keys.push(`${domain}${jid.slice(slash)}`);
  if (slash !== -1 || at !== -1) keys.push(domain);
  return keys;
}

/** Whether a block list entry covers the address `jid`. */
export function isBlockedBy(blocked: ReadonlySet<string>, jid: string): boolean {
  if (blocked.size === 0) return false;
  for (const key of blockKeys(jid)) if (blocked.has(key)) return true;
  return false;
}
