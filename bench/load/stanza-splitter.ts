// RFC 6120 section 4.1: a stanza is a first-level child of the stream. The load generator only needs
// to cut its inbound byte stream into those children during negotiation and for IQ replies, so this
// splitter finds tag boundaries with indexOf and counts depth. It is not an XML parser: it trusts the
// server under test to send well-formed XML with '>' escaped inside attribute values (all three
// servers do), and it never builds a tree.

export interface SplitterEvents {
  /** The stream header (`<stream:stream ...>`), also after a stream restart (RFC 6120 section 4.3.3). */
  streamOpen(tag: string): void;
  /** One complete first-level element, as the exact text received. */
  stanza(xml: string): void;
  /** `</stream:stream>`. */
  streamClose(): void;
}

export class StanzaSplitter {
  private buffer = '';
  private scanFrom = 0;
  private depth = 0;
  private stanzaStart = -1;

  constructor(private readonly events: SplitterEvents) {}

  /** Feeds text (latin1 or UTF-16; only ASCII markup matters here). */
  push(text: string): void {
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    this.scan();
  }

  /** Text received but not yet part of a complete stanza. */
  pending(): string {
    return this.stanzaStart >= 0 ? this.buffer.slice(this.stanzaStart) : this.buffer.slice(this.scanFrom);
  }

  private scan(): void {
    const s = this.buffer;
    let pos = this.scanFrom;
    for (;;) {
      const lt = s.indexOf('<', pos);
      if (lt < 0) {
        pos = s.length;
        break;
      }
      const gt = s.indexOf('>', lt + 1);
      if (gt < 0) {
        pos = lt;
        break;
      }
      const next = s.charCodeAt(lt + 1);
      pos = gt + 1;
      if (next === 63 /* ? */ || next === 33 /* ! */) continue; // XML declaration or comment
      if (next === 47 /* / */) {
        if (this.depth <= 1) {
          this.depth = 0;
          this.events.streamClose();
          continue;
        }
        this.depth--;
        if (this.depth === 1) {
          this.events.stanza(s.slice(this.stanzaStart, gt + 1));
          this.stanzaStart = -1;
        }
        continue;
      }
      if (isStreamHeader(s, lt)) {
        // A restart sends a fresh header while we still count the old stream as open.
        this.depth = 1;
        this.stanzaStart = -1;
        this.events.streamOpen(s.slice(lt, gt + 1));
        continue;
      }
      const selfClosing = s.charCodeAt(gt - 1) === 47;
      if (this.depth === 1) {
        if (selfClosing) {
          this.events.stanza(s.slice(lt, gt + 1));
          continue;
        }
        this.stanzaStart = lt;
      }
      if (!selfClosing) this.depth++;
    }
    // Keep only what a later chunk may still complete.
    const keepFrom = this.stanzaStart >= 0 ? this.stanzaStart : pos;
    this.buffer = s.slice(keepFrom);
    if (this.stanzaStart >= 0) this.stanzaStart -= keepFrom;
    this.scanFrom = pos - keepFrom;
  }
}

function isStreamHeader(s: string, lt: number): boolean {
  return s.startsWith('stream:stream', lt + 1) && /[\s>/]/.test(s.charAt(lt + 14));
}
