// RFC 4616 section 2: message = [authzid] UTF8NUL authcid UTF8NUL passwd, every field UTF-8 without
// NUL and authcid and passwd non-empty. X-OAUTH2 reuses the same layout with a token for passwd.

import { decodeUtf8 } from './message-encoding.js';

export interface PlainMessage {
  authzid: string;
  authcid: string;
  secret: string;
}

const MAX_MESSAGE_BYTES = 4096;

/** The three fields, or undefined when the message does not follow the grammar. */
export function parsePlainMessage(data: Buffer): PlainMessage | undefined {
  if (data.length > MAX_MESSAGE_BYTES) return undefined;
  const text = decodeUtf8(data);
  if (text === undefined) return undefined;
  const fields = text.split('\0');
  if (fields.length !== 3) return undefined;
  const [authzid, authcid, secret] = fields;
  if (authcid.length === 0 || secret.length === 0) return undefined;
  return { authzid, authcid, secret };
}
