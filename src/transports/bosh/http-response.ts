// XEP-0124 section 5 (HTTP Overview): every answer is one complete HTTP response with a Content-Length (no
// chunked transfer coding), compressed with an encoding the request's Accept-Encoding lists (RFC 9110
// section 12.5.3, q-values honoured), and section 7.1: the Content-Type is the session's 'content'.
// Cross-origin reads follow the server's CORS origin list.

import { deflateSync, gzipSync } from 'node:zlib';
import { renderBoshBody } from '../../protocol/xep0124.js';
import type { BoshResponse } from './types.js';

export type ResponseEncoding = 'gzip' | 'deflate';

/** Below this many bytes compression saves less than its own headers and CPU cost. */
export const DEFAULT_COMPRESS_ABOVE = 1024;

/** The encoding to answer with: gzip preferred over deflate at equal q, neither when refused or unlisted. */
export function chooseResponseEncoding(acceptEncoding: string | undefined): ResponseEncoding | undefined {
  if (acceptEncoding === undefined) return undefined;
  // A client sends the same Accept-Encoding on every request: parse it once, not per request.
  if (acceptEncoding === lastAcceptEncoding) return lastChoice;
  const choice = parseAcceptEncoding(acceptEncoding);
  lastAcceptEncoding = acceptEncoding;
  lastChoice = choice;
  return choice;
}

let lastAcceptEncoding: string | undefined;
let lastChoice: ResponseEncoding | undefined;

function parseAcceptEncoding(acceptEncoding: string): ResponseEncoding | undefined {
  const q: Record<string, number> = {};
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(param);
      if (m) weight = Number(m[1]);
    }
    q[name] = Number.isFinite(weight) ? weight : 0;
  }
  const weightOf = (name: string) => q[name] ?? (name === 'gzip' ? q['x-gzip'] : undefined) ?? q['*'] ?? 0;
  const gzip = weightOf('gzip');
  const deflate = weightOf('deflate');
  if (gzip <= 0 && deflate <= 0) return undefined;
  return gzip >= deflate ? 'gzip' : 'deflate';
}

export interface EncodedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Renders a BOSH answer. `allowOrigin` is the Access-Control-Allow-Origin value for the request's Origin,
 * if any; `encoding` the negotiated compression, applied when the body is larger than `compressAbove`.
 */
export function encodeBoshResponse(
  response: BoshResponse,
  allowOrigin: string | undefined,
  encoding: ResponseEncoding | undefined,
  compressAbove: number,
): EncodedResponse {
  const xml = Buffer.from(renderBoshBody(response.attrs, response.payload, response.declareStream ?? false), 'utf8');
  const headers: Record<string, string> = {
    'content-type': response.contentType,
    // A held answer is meant for one request only; no intermediary may reuse it.
    'cache-control': 'no-store',
    vary: 'Accept-Encoding, Origin',
  };
  if (allowOrigin !== undefined) headers['access-control-allow-origin'] = allowOrigin;
  let body = xml;
  if (encoding !== undefined && xml.length > compressAbove) {
    body = encoding === 'gzip' ? gzipSync(xml) : deflateSync(xml);
    headers['content-encoding'] = encoding;
  }
  return { status: response.status, headers, body };
}

/** The headers that let a page from `allowOrigin` read the answer. */
export function corsHeaders(allowOrigin: string | undefined): Record<string, string> {
  return allowOrigin === undefined ? {} : { 'access-control-allow-origin': allowOrigin };
}
