// X-OAUTH2, the mechanism Google Talk introduced and many XMPP clients still offer: PLAIN's layout
// (RFC 4616 section 2) with a bearer token in place of the password, "\0user\0token". The token
// decides who the user is; a non-empty authcid must name that same account (as a username or as a
// bare JID), and authzid follows the rules of PLAIN.

import { tryParseJid } from '../../jid/index.js';
import { checkAuthzid, prepareUsername } from './identity.js';
import { failure, type SaslContext, type SaslCredentialSource, type SaslStep } from './mechanism.js';
import { parsePlainMessage } from './plain-message.js';
import { SingleResponseMechanism } from './single-response.js';

export class XOAuth2Mechanism extends SingleResponseMechanism {
  readonly name = 'X-OAUTH2';

  constructor(
    private readonly ctx: SaslContext,
    private readonly creds: SaslCredentialSource,
  ) {
    super();
  }

  protected async respond(data: Buffer): Promise<SaslStep> {
    const message = parsePlainMessage(data);
    if (!message) return failure('malformed-request', 'expected [authzid] NUL user NUL token');
    const username = await this.creds.verifyToken(message.secret);
    if (username === undefined) return failure('not-authorized');
    if (!this.authcidNames(message.authcid, username)) return failure('not-authorized');
    const authz = checkAuthzid(message.authzid, username, this.ctx.domain);
    if (!authz.ok) return failure('invalid-authzid');
    return { kind: 'success', username, ...(authz.authzid !== undefined ? { authzid: authz.authzid } : {}) };
  }

  private authcidNames(authcid: string, username: string): boolean {
    if (!authcid.includes('@')) return prepareUsername(authcid) === username;
    const named = tryParseJid(authcid);
    if (!named || named.resource !== undefined || named.local !== username) return false;
    return named.domain === tryParseJid(this.ctx.domain)?.domain;
  }
}
