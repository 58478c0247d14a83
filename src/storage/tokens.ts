// Bearer tokens shared by the REST API (`Authorization: Token <t>`) and XMPP (SASL OAUTHBEARER,
// X-OAUTH2), DESIGN.md section 3. Only a SHA-256 hash of each token is stored (section 8).

export interface IssuedToken {
  token: string;
  id: string;
  username: string;
  expiresAt?: Date;
}

export interface TokenStore {
  issue(username: string, options?: { label?: string; ttlSeconds?: number }): Promise<IssuedToken>;
  /** The username the token belongs to, or undefined when unknown, expired or revoked. */
  verify(token: string): Promise<string | undefined>;
  revoke(token: string): Promise<boolean>;
  revokeAll(username: string): Promise<number>;
}
