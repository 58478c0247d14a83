// What the stream engine needs from a transport: framing only (DESIGN.md section 4: "TCP, BOSH and
// WebSocket differ only in framing"). The transport parses bytes into elements and calls the engine;
// the engine calls these methods to answer.

export interface StreamHeader {
  to?: string;
  from?: string;
  version?: string;
  lang?: string;
  id?: string;
}

export interface ChannelBinding {
  type: 'tls-exporter' | 'tls-unique';
  data: Buffer;
}

export interface StreamTransport {
  readonly kind: 'tcp' | 'websocket' | 'bosh';
  readonly remoteAddress: string;
  /** The stream is encrypted (TLS on the socket, or HTTPS/WSS). */
  readonly secure: boolean;
  /** STARTTLS can be offered now (plain TCP with a TLS context). */
  readonly canStartTls: boolean;
  /**
   * Channel-binding data for SCRAM -PLUS: RFC 9266 tls-exporter on TLS 1.3, RFC 5929 tls-unique on
   * TLS 1.2; undefined when the transport has none (plain TCP, or TLS terminated elsewhere).
   */
  channelBinding(): ChannelBinding | undefined;
  /** Sends the response stream header (<stream:stream>, <open/>, or the BOSH body attributes). */
  openStream(attrs: Record<string, string>): void;
  /** Writes one serialised top-level element (stanza or nonza). */
  write(data: string): void;
  /** Forgets parser state: the next bytes start a new stream (RFC 6120 4.3.3 restart). */
  resetParser(): void;
  /** TCP: upgrades the socket after <proceed/>, discarding any plaintext pipelined after <starttls/>. */
  startTls?(): Promise<void>;
  /** Sends the stream's closing tag (</stream:stream>, <close/>, BOSH terminate). */
  closeStream(): void;
  /** Drops the connection. */
  destroy(): void;
  /** Told once SASL succeeded (admission control stops counting the stream as unauthenticated). */
  onAuthenticated?(): void;
}
