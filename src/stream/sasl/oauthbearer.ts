// RFC 7628 section 3 (OAUTHBEARER): client-resp = gs2-header kvsep *kvpair kvsep, with the token in
// "auth=Bearer <token>" (RFC 6750 section 2.1). A rejected token gets the JSON error challenge of
// section 3.2.2; the client acknowledges it with a lone kvsep and then receives the failure.

import { checkAuthzid } from './identity.js';
import { parseGs2Header, type Gs2Header } from './gs2-header.js';
import {
  challenge,
  failure,
  type SaslContext,
  type SaslCredentialSource,
  type SaslStep,
} from './mechanism.js';
import { decodeUtf8 } from './message-encoding.js';
import { SingleResponseMechanism } from './single-response.js';

const KVSEP = '\x01';
const MAX_MESSAGE_BYTES = 8192;
const RE_KVPAIR = /^([A-Za-z]+)=([\x21-\x7e \t\r\n]*)$/;
// RFC 6750 section 2.1: credentials = "Bearer" 1*SP b64token; the scheme name is case-insensitive.
const RE_BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

type Parsed = { ok: true; token: string; authzid?: string } | { ok: false; text: string };

// StanzaJS (12.x) sends its authzid without the "a=" prefix: "n,user@example.com,". Accepting
// that form cannot widen what an authzid may be, since it is still checked against the account.
const RE_BARE_AUTHZID_HEADER = /^([ny]),([^,=]+),/;

function parseHeader(text: string): Gs2Header | undefined {
  const gs2 = parseGs2Header(text);
  if (gs2) return gs2;
  const m = RE_BARE_AUTHZID_HEADER.exec(text);
  return m ? { flag: m[1] as 'n' | 'y', authzid: m[2], raw: m[0] } : undefined;
}

function parseClientResponse(text: string): Parsed {
  const gs2 = parseHeader(text);
  if (!gs2) return { ok: false, text: 'malformed GS2 header' };
  if (gs2.flag === 'p') return { ok: false, text: 'OAUTHBEARER has no channel binding' };
  const rest = text.slice(gs2.raw.length);
  if (!rest.startsWith(KVSEP) || !rest.endsWith(KVSEP + KVSEP) || rest.length < 3) {
    return { ok: false, text: 'expected kvsep-delimited key=value pairs' };
  }
  const pairs = new Map<string, string>();
  for (const pair of rest.slice(1, -2).split(KVSEP)) {
    const m = RE_KVPAIR.exec(pair);
    if (!m || pairs.has(m[1])) return { ok: false, text: 'malformed or repeated key=value pair' };
    pairs.set(m[1], m[2]);
  }
  const auth = pairs.get('auth');
  if (auth === undefined) return { ok: false, text: 'missing auth' };
  const bearer = RE_BEARER.exec(auth);
  if (!bearer) return { ok: false, text: 'auth must be "Bearer <token>"' };
  return gs2.authzid === undefined ? { ok: true, token: bearer[1] } : { ok: true, token: bearer[1], authzid: gs2.authzid };
}

export class OAuthBearerMechanism extends SingleResponseMechanism {
  readonly name = 'OAUTHBEARER';
  private errorSent = false;

  constructor(
    private readonly ctx: SaslContext,
    private readonly creds: SaslCredentialSource,
  ) {
    super();
  }

  protected async respond(data: Buffer): Promise<SaslStep> {
    if (this.errorSent) {
      // Section 3.2.3: whatever the client answers to the error challenge, the exchange fails.
      return failure('not-authorized', data.equals(Buffer.from(KVSEP)) ? undefined : 'expected a lone kvsep');
    }
    if (data.length > MAX_MESSAGE_BYTES) return failure('malformed-request', 'message too long');
    const text = decodeUtf8(data);
    if (text === undefined) return failure('malformed-request', 'not UTF-8');
    const parsed = parseClientResponse(text);
    if (!parsed.ok) return failure('malformed-request', parsed.text);
    const username = await this.creds.verifyToken(parsed.token);
    if (username === undefined) {
      this.errorSent = true;
      return challenge(Buffer.from(JSON.stringify({ status: 'invalid_token' }), 'utf8'));
    }
    const authz = checkAuthzid(parsed.authzid, username, this.ctx.domain);
    if (!authz.ok) return failure('invalid-authzid');
    return { kind: 'success', username, ...(authz.authzid !== undefined ? { authzid: authz.authzid } : {}) };
  }
}
