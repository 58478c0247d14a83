// XEP-0124 / XEP-0206 on this server: the /http-bind endpoint whose sessions are local stream engines, with
// the limits of the configuration (DESIGN.md section 8). The composition root calls registerLocalBosh()
// on the shared HTTP server before it listens.

import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/schema.js';
import type { StreamContext } from '../../stream/stream-context.js';
import { registerBoshHttp, type BoshHttpEndpoint, type BoshSessionLimits } from './http-adapter.js';
import { localBoshBackend } from './local-stream.js';

/** Room for the <body/> wrapper around one stanza of the largest size allowed. */
const WRAPPER_ALLOWANCE = 8192;

export interface LocalBoshOptions {
  streamContext: StreamContext;
  corsOrigin(origin: string | undefined): string | undefined;
  /** The stream limits of every transport: a <body/> may carry one stanza of maxStanzaBytes. */
  maxStanzaBytes: number;
  maxDepth: number;
  sessions: BoshSessionLimits;
  /** Section 17.2 'see-other-uri': send plain-HTTP clients to this https: URI. */
  seeOtherUri?: string;
}

export function registerLocalBosh(app: FastifyInstance, opts: LocalBoshOptions): BoshHttpEndpoint {
  return registerBoshHttp(app, {
    backend: localBoshBackend(opts.streamContext),
    sessions: opts.sessions,
    corsOrigin: opts.corsOrigin,
    body: { maxBodyBytes: opts.maxStanzaBytes + WRAPPER_ALLOWANCE, maxDepth: opts.maxDepth },
    seeOtherUri: opts.seeOtherUri,
  });
}

/** The session limits of the configuration's [bosh] group and limits.bosh_sessions_per_address. */
export function boshSessionLimits(config: Pick<Config, 'bosh' | 'limits'>): BoshSessionLimits {
  return {
    maxWait: config.bosh.maxWait,
    maxHold: config.bosh.maxHold,
    maxInactivity: config.bosh.maxInactivity,
    pollingInterval: config.bosh.polling,
    maxPause: config.bosh.maxPause,
    maxSessionsPerAddress: config.limits.boshSessionsPerAddress,
  };
}
