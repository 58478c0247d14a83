// XEP-0030: what the server says about itself. Modules add features and identities as they are
// loaded, so disco#info advertises exactly what is running.

export interface DiscoIdentity {
  category: string;
  type: string;
  name?: string;
}

export class DiscoRegistry {
  readonly features = new Set<string>();
  readonly identities: DiscoIdentity[] = [];
  /** Features an account's bare JID advertises (RFC 6121 / XEP-0163 PEP). */
  readonly accountFeatures = new Set<string>();
  readonly accountIdentities: DiscoIdentity[] = [];
  /** Items of the server (service domains), as [jid, name]. */
  readonly items = new Map<string, string | undefined>();

  addFeature(ns: string): void {
    this.features.add(ns);
  }

  addAccountFeature(ns: string): void {
    this.accountFeatures.add(ns);
  }

  addIdentity(identity: DiscoIdentity): void {
    this.identities.push(identity);
  }

  addItem(jid: string, name?: string): void {
    this.items.set(jid, name);
  }
}
