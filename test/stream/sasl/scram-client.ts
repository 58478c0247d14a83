// A SCRAM client (RFC 5802 section 3, RFC 9266 for tls-exporter) written for these tests, so that
// the -PLUS variants can be driven with tls-exporter (the library clients only know tls-unique)
// and so that any message can be tampered with before it reaches the server.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { ScramHash } from '../../../src/stream/sasl/index.js';

const NODE_HASH = { 'sha-1': 'sha1', 'sha-256': 'sha256' } as const;
const SIZE = { 'sha-1': 20, 'sha-256': 32 } as const;

export interface ScramClientOptions {
  hash: ScramHash;
  username: string;
  password: string;
  /** Default "n,,"; e.g. "p=tls-exporter,," or "y,a=juliet@example.com,". */
  gs2Header?: string;
  /** Channel binding data appended to the GS2 header in c=. */
  cbData?: Buffer;
  clientNonce?: string;
}

export class ScramClient {
  readonly clientNonce: string;
  readonly gs2Header: string;
  readonly clientFirstBare: string;
  private serverSignature: Buffer | undefined;

  constructor(private readonly options: ScramClientOptions) {
    this.clientNonce = options.clientNonce ?? randomBytes(18).toString('base64');
    this.gs2Header = options.gs2Header ?? 'n,,';
    const name = options.username.replace(/=/g, '=3D').replace(/,/g, '=2C');
    this.clientFirstBare = `n=${name},r=${this.clientNonce}`;
  }

  first(): Buffer {
    return Buffer.from(this.gs2Header + this.clientFirstBare, 'utf8');
  }

  /** The client-final-message for a server-first; `tamper` may rewrite its parts first. */
  final(serverFirst: Buffer, tamper: { nonce?: (n: string) => string; cb?: (c: string) => string } = {}): Buffer {
    const { hash, password } = this.options;
    const text = serverFirst.toString('utf8');
    const attrs = Object.fromEntries(text.split(',').map((a) => [a[0], a.slice(2)]));
    const salted = pbkdf2Sync(password, Buffer.from(attrs.s, 'base64'), Number(attrs.i), SIZE[hash], NODE_HASH[hash]);
    const clientKey = createHmac(NODE_HASH[hash], salted).update('Client Key').digest();
    const storedKey = createHash(NODE_HASH[hash]).update(clientKey).digest();
    const serverKey = createHmac(NODE_HASH[hash], salted).update('Server Key').digest();
    const cbInput = Buffer.concat([Buffer.from(this.gs2Header, 'utf8'), this.options.cbData ?? Buffer.alloc(0)]);
    const c = tamper.cb ? tamper.cb(cbInput.toString('base64')) : cbInput.toString('base64');
    const r = tamper.nonce ? tamper.nonce(attrs.r) : attrs.r;
    const withoutProof = `c=${c},r=${r}`;
    const authMessage = `${this.clientFirstBare},${text},${withoutProof}`;
    const signature = createHmac(NODE_HASH[hash], storedKey).update(authMessage).digest();
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i] ^ signature[i];
    this.serverSignature = createHmac(NODE_HASH[hash], serverKey).update(authMessage).digest();
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
  }

  /** Whether server-final (the <success/> data) carries the signature only the real server can make. */
  verifies(serverFinal: Buffer | undefined): boolean {
    return serverFinal !== undefined && this.serverSignature !== undefined && serverFinal.toString('utf8') === `v=${this.serverSignature.toString('base64')}`;
  }
}
