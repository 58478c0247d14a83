// RFC 7622 section 3: the error every JID operation throws on input that is not a valid address.

export type JidPart = 'localpart' | 'domainpart' | 'resourcepart' | 'jid';

export class InvalidJidError extends Error {
  override readonly name = 'InvalidJidError';
  constructor(
    readonly part: JidPart,
    readonly reason: string,
  ) {
    super(`invalid ${part}: ${reason}`);
  }
}
