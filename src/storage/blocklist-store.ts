// XEP-0191 section 3: an account's block list, kept across sessions and restarts ("the duration of the
// block is potentially unlimited and applies across sessions"). JIDs are stored normalised, as given
// by the blocking module; matching them against addresses (section 5) is the module's business.

export interface BlocklistStore {
  /** The blocked JIDs of an account, in the order they were first blocked. */
  list(user: string): Promise<string[]>;
  /** Blocks JIDs (blocking one twice changes nothing); resolves with the ones that were not blocked yet. */
  block(user: string, jids: string[]): Promise<string[]>;
  /** Unblocks JIDs; resolves with the ones that were blocked. */
  unblock(user: string, jids: string[]): Promise<string[]>;
  /** Empties the list (section 3.4); resolves with what it held. */
  unblockAll(user: string): Promise<string[]>;
}
