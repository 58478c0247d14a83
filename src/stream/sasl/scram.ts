// RFC 5802 sections 3, 5 and 6 (SCRAM server side), RFC 7677 (SCRAM-SHA-256) and RFC 9266
// (tls-exporter channel binding for the -PLUS variants). Two server messages: server-first
// (nonce, salt, iterations) and server-final (v=ServerSignature, carried in <success/>).
//
// Unknown users get a server-first like everyone else, with a salt derived from a per-process
// secret and the username, so the exchange does not reveal which accounts exist; they fail at the
// proof like a wrong password does.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseGs2Header, type Gs2Header } from './gs2-header.js';
import { checkAuthzid, prepareUsername } from './identity.js';
import {
  challenge,
  failure,
  type SaslContext,
  type SaslCredentialSource,
  type SaslMechanism,
  type SaslStep,
  type ScramCredentials,
  type ScramHash,
} from './mechanism.js';
import { decodeUtf8 } from './message-encoding.js';
import { digest, hashLength, hmac, MIN_ITERATIONS, xor } from './scram-keys.js';
import { parseClientFinal, parseClientFirstBare } from './scram-message.js';

const MAX_MESSAGE_BYTES = 16 * 1024;
const SERVER_NONCE_BYTES = 18;
const FAKE_SALT_SECRET = randomBytes(32);

export interface ScramOptions {
  hash: ScramHash;
  plus: boolean;
  ctx: SaslContext;
  creds: SaslCredentialSource;
  /** The server's part of the nonce; replaceable so tests can replay the RFC test vectors. */
  serverNonce?: () => string;
}

type State = 'initial' | 'await-first' | 'await-final' | 'busy' | 'done';

interface Exchange {
  gs2: Gs2Header;
  username: string;
  known: boolean;
  credentials: ScramCredentials;
  clientFirstBare: string;
  serverFirst: string;
  nonce: string;
}

function equalSecret(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function fakeCredentials(hash: ScramHash, rawUsername: string): ScramCredentials {
  const salt = createHmac('sha256', FAKE_SALT_SECRET).update(`${hash}\0${rawUsername}`).digest().subarray(0, 16);
  const size = hashLength(hash);
  return { salt, iterations: MIN_ITERATIONS, storedKey: randomBytes(size), serverKey: randomBytes(size) };
}

export class ScramMechanism implements SaslMechanism {
  readonly name: string;
  private state: State = 'initial';
  private exchange: Exchange | undefined;

  constructor(private readonly options: ScramOptions) {
    this.name = `SCRAM-${options.hash.toUpperCase()}${options.plus ? '-PLUS' : ''}`;
  }

  async start(initial: Buffer | undefined): Promise<SaslStep> {
    if (this.state !== 'initial') return this.finish(failure('malformed-request', 'exchange already started'));
    if (initial === undefined) {
      this.state = 'await-first';
      return challenge(Buffer.alloc(0));
    }
    return this.run(() => this.clientFirst(initial));
  }

  async step(response: Buffer): Promise<SaslStep> {
    if (this.state === 'await-first') return this.run(() => this.clientFirst(response));
    if (this.state === 'await-final') return this.run(() => this.clientFinal(response));
    return this.finish(failure('malformed-request', 'no response expected'));
  }

  // Every outcome is a SaslStep: a store that throws becomes temporary-auth-failure, never a throw.
  private async run(handler: () => Promise<SaslStep>): Promise<SaslStep> {
    this.state = 'busy';
    let result: SaslStep;
    try {
      result = await handler();
    } catch {
      result = failure('temporary-auth-failure');
    }
    // Only server-first is a challenge; anything else ends the exchange.
    if (result.kind === 'challenge') this.state = 'await-final';
    else this.finish(result);
    return result;
  }

  private finish(result: SaslStep): SaslStep {
    this.state = 'done';
    this.exchange = undefined;
    return result;
  }

  private async clientFirst(data: Buffer): Promise<SaslStep> {
    if (data.length === 0 || data.length > MAX_MESSAGE_BYTES) return failure('malformed-request', 'bad message size');
    const text = decodeUtf8(data);
    if (text === undefined) return failure('malformed-request', 'not UTF-8');
    const gs2 = parseGs2Header(text);
    if (!gs2) return failure('malformed-request', 'malformed GS2 header');
    const refusal = this.checkChannelBindingFlag(gs2);
    if (refusal) return refusal;
    const bare = parseClientFirstBare(text.slice(gs2.raw.length));
    if (!bare.ok) return failure(bare.condition, bare.text);

    const { hash, creds } = this.options;
    const username = prepareUsername(bare.value.username);
    const stored = username === undefined ? undefined : await creds.getScramCredentials(username, hash);
    const usable = stored !== undefined && stored.storedKey.length === hashLength(hash) && stored.salt.length > 0;
    const credentials = usable ? stored : fakeCredentials(hash, bare.value.username);
    const serverPart = this.options.serverNonce?.() ?? randomBytes(SERVER_NONCE_BYTES).toString('base64');
    const nonce = bare.value.clientNonce + serverPart;
    const serverFirst = `r=${nonce},s=${credentials.salt.toString('base64')},i=${credentials.iterations}`;
    this.exchange = {
      gs2,
      username: username ?? bare.value.username,
      known: usable,
      credentials,
      clientFirstBare: text.slice(gs2.raw.length),
      serverFirst,
      nonce,
    };
    return challenge(Buffer.from(serverFirst, 'utf8'));
  }

  // RFC 5802 section 6: "y" means the client could bind but believes we cannot. If we offer -PLUS
  // on this stream that belief is false, so someone stripped -PLUS from our feature list.
  private checkChannelBindingFlag(gs2: Gs2Header): SaslStep | undefined {
    const binding = this.options.ctx.channelBinding;
    if (this.options.plus) {
      if (gs2.flag !== 'p') return failure('malformed-request', '-PLUS requires channel binding (p=)');
      if (!binding || gs2.cbName !== binding.type) {
        return failure('malformed-request', `unsupported channel binding type; use ${binding?.type ?? 'none'}`);
      }
      return undefined;
    }
    if (gs2.flag === 'p') return failure('malformed-request', 'channel binding requires a -PLUS mechanism');
    if (gs2.flag === 'y' && binding) return failure('not-authorized', 'channel binding downgrade detected');
    return undefined;
  }

  private async clientFinal(data: Buffer): Promise<SaslStep> {
    const exchange = this.exchange!;
    if (data.length === 0 || data.length > MAX_MESSAGE_BYTES) return failure('malformed-request', 'bad message size');
    const text = decodeUtf8(data);
    if (text === undefined) return failure('malformed-request', 'not UTF-8');
    const parsed = parseClientFinal(text);
    if (!parsed.ok) return failure(parsed.condition, parsed.text);
    const final = parsed.value;
    if (final.nonce !== exchange.nonce) return failure('not-authorized', 'nonce mismatch');

    const binding = this.options.ctx.channelBinding;
    const cbData = exchange.gs2.flag === 'p' && binding ? binding.data : Buffer.alloc(0);
    const expectedBinding = Buffer.concat([Buffer.from(exchange.gs2.raw, 'utf8'), cbData]);
    if (!equalSecret(final.channelBinding, expectedBinding)) return failure('not-authorized', 'channel binding mismatch');

    const { hash } = this.options;
    const { storedKey, serverKey } = exchange.credentials;
    const authMessage = `${exchange.clientFirstBare},${exchange.serverFirst},${final.withoutProof}`;
    const clientSignature = hmac(hash, storedKey, authMessage);
    // The proof is checked even for unknown users so that both cases cost the same.
    const proofMatches =
      final.proof.length === clientSignature.length && equalSecret(digest(hash, xor(final.proof, clientSignature)), storedKey);
    if (!proofMatches || !exchange.known) return failure('not-authorized');

    const authz = checkAuthzid(exchange.gs2.authzid, exchange.username, this.options.ctx.domain);
    if (!authz.ok) return failure('invalid-authzid');
    const serverSignature = hmac(hash, serverKey, authMessage);
    return {
      kind: 'success',
      data: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8'),
      username: exchange.username,
      ...(authz.authzid !== undefined ? { authzid: authz.authzid } : {}),
    };
  }
}
