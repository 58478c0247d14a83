// The two encodings inside SASL messages: UTF-8 text (RFC 4422 section 3.1, RFC 4616 section 2)
// and base64 attribute values (RFC 5802 section 7, via RFC 4648 section 4). Both are decoded
// strictly, so that one message has exactly one meaning.

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 strictly: undefined for invalid sequences rather than U+FFFD. */
export function decodeUtf8(data: Buffer): string | undefined {
  try {
    return utf8.decode(data);
  } catch {
    return undefined;
  }
}

const RE_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Padded, canonical base64; undefined otherwise (including non-zero padding bits). */
export function decodeBase64(s: string): Buffer | undefined {
  if (s.length === 0 || !RE_BASE64.test(s)) return undefined;
  const data = Buffer.from(s, 'base64');
  return data.toString('base64') === s ? data : undefined;
}
