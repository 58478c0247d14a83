// Types for the parts of ltx (no bundled declarations) that the XML tokenizer benchmark drives.

declare module 'ltx/src/parsers/ltx.js' {
  import { EventEmitter } from 'node:events';

  /** ltx's own SAX-style parser, the one xmpp.js streams through. */
  export default class SaxLtx extends EventEmitter {
    write(data: string | Buffer): void;
    end(data?: string): void;
  }
}
