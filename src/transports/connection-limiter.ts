// Per-address admission control (DESIGN.md section 8): at most N open streams per remote address,
// and at most M of them not yet authenticated, so one address cannot exhaust the server.

export interface AdmissionTicket {
  /** The stream authenticated: it no longer counts against the unauthenticated limit. */
  authenticated(): void;
  release(): void;
}

export class ConnectionLimiter {
  private readonly open = new Map<string, number>();
  private readonly unauthenticated = new Map<string, number>();

  constructor(private readonly maxPerAddress: number, private readonly maxUnauthenticatedPerAddress: number) {}

  /** A ticket for a new connection, or undefined when the address is over a limit. */
  admit(address: string): AdmissionTicket | undefined {
    const open = this.open.get(address) ?? 0;
    const pending = this.unauthenticated.get(address) ?? 0;
    if (open >= this.maxPerAddress || pending >= this.maxUnauthenticatedPerAddress) return undefined;
    this.open.set(address, open + 1);
    this.unauthenticated.set(address, pending + 1);
    let authenticated = false;
    let released = false;
    const dec = (map: Map<string, number>) => {
      const n = (map.get(address) ?? 1) - 1;
      if (n <= 0) map.delete(address);
      else map.set(address, n);
    };
    return {
      authenticated: () => {
        if (authenticated || released) return;
        authenticated = true;
        dec(this.unauthenticated);
      },
      release: () => {
        if (released) return;
        released = true;
        dec(this.open);
        if (!authenticated) dec(this.unauthenticated);
      },
    };
  }
}
