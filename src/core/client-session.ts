// A bound client session (RFC 6120 section 7, RFC 6121 section 4): the server's view of one
// connected resource, whatever transport carries it. Modules see sessions, never sockets.

import type { Element } from '../xml/element.js';
import type { StreamErrorCondition } from '../protocol/stream-error.js';

/** How a session's stanzas leave the server: implemented by the stream engine of its transport. */
export interface SessionOutput {
  /** One serialised top-level element. */
  writeStanza(serialised: string): void;
  /** Ends the stream with a stream error (or cleanly when no condition is given). */
  close(condition?: StreamErrorCondition, text?: string): void;
}

export interface EntityCaps {
  node: string;
  ver: string;
  hash: string;
}

export class ClientSession {
  /** Set by resource binding. */
  resource = '';
  /** RFC 6121 4.2: the session has sent initial presence and receives presence broadcasts. */
  available = false;
  priority = 0;
  /** The last broadcast presence, kept for probes and for contacts that come online. */
  presence: Element | undefined;
  /** RFC 6121 2.1.6: a session that asked for the roster receives roster pushes. */
  interestedInRoster = false;
  /** Full JIDs this session sent directed presence to (RFC 6121 4.6), told when it goes offline. */
  readonly directedPresence = new Set<string>();
  /** XEP-0115 entity capabilities from the last presence; used for PEP +notify filtering. */
  caps: EntityCaps | undefined;
  readonly connectedAt = Date.now();
  /** When the client last sent anything (XEP-0199 pings idle sessions). */
  lastActivity = Date.now();
  closed = false;
  /** The SASL mechanism the session authenticated with, and whether its stream is encrypted. */
  mechanism = '';
  secure = false;

  constructor(
    readonly streamId: string,
    readonly username: string,
    readonly domain: string,
    readonly transport: string,
    readonly remoteAddress: string,
    private output: SessionOutput,
  ) {}

  /** XEP-0198 resumption: the session continues on a new stream. */
  attach(output: SessionOutput): void {
    this.output = output;
  }

  get bare(): string {
    return `${this.username}@${this.domain}`;
  }

  get full(): string {
    return `${this.bare}/${this.resource}`;
  }

  send(stanza: Element): void {
    if (this.closed) return;
    this.output.writeStanza(stanza.toString());
  }

  sendRaw(serialised: string): void {
    if (this.closed) return;
    this.output.writeStanza(serialised);
  }

  close(condition?: StreamErrorCondition, text?: string): void {
    this.output.close(condition, text);
  }
}
