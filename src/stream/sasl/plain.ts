// RFC 4616 (PLAIN) as RFC 6120 section 6.3.8/6.3.9 uses it: authcid is the account's username,
// authzid is empty or the account's own bare JID. The password is checked by the credential
// source, which holds only SCRAM keys and so verifies by deriving them (DESIGN.md section 8).

import { checkAuthzid, prepareUsername } from './identity.js';
import { failure, type SaslContext, type SaslCredentialSource, type SaslStep } from './mechanism.js';
import { parsePlainMessage } from './plain-message.js';
import { preparePassword } from './scram-keys.js';
import { SingleResponseMechanism } from './single-response.js';

export class PlainMechanism extends SingleResponseMechanism {
  readonly name = 'PLAIN';

  constructor(
    private readonly ctx: SaslContext,
    private readonly creds: SaslCredentialSource,
  ) {
    super();
  }

  protected async respond(data: Buffer): Promise<SaslStep> {
    const message = parsePlainMessage(data);
    if (!message) return failure('malformed-request', 'expected [authzid] NUL authcid NUL password');
    const username = prepareUsername(message.authcid);
    if (username === undefined) return failure('not-authorized');
    try {
      // RFC 4616 section 5: a password SASLprep rejects cannot match any stored password. The raw
      // password goes to the store, which prepares it exactly as it did when the account was made.
      preparePassword(message.secret);
    } catch {
      return failure('not-authorized');
    }
    if (!(await this.creds.verifyPassword(username, message.secret))) return failure('not-authorized');
    const authz = checkAuthzid(message.authzid, username, this.ctx.domain);
    if (!authz.ok) return failure('invalid-authzid');
    return { kind: 'success', username, ...(authz.authzid !== undefined ? { authzid: authz.authzid } : {}) };
  }
}
