// XEP-0124 / XEP-0206 BOSH engine: what the HTTP adapter and the stream engine use.

export { BoshSessionManager } from './session-manager.js';
export { BoshSession } from './session.js';
export { systemClock } from './clock.js';
export type { BoshManagerOptions, BoshLimits } from './config.js';
export type { BoshSessionParams } from './session-params.js';
export type {
  BoshClock,
  BoshEndCause,
  BoshRequest,
  BoshResponse,
  BoshSessionEnd,
  BoshStreamHeader,
  BoshStreamSink,
  BoshTimer,
} from './types.js';
export { renderBoshBody, BOSH_CONDITIONS, DEFAULT_BOSH_CONTENT_TYPE, type BoshCondition } from '../../protocol/xep0124.js';
export { registerBoshHttp, BOSH_PATH, type BoshBackend, type BoshHttpEndpoint, type BoshHttpOptions, type BoshSessionLimits } from './http-adapter.js';
export { registerLocalBosh, boshSessionLimits, type LocalBoshOptions } from './local-endpoint.js';
export { BoshLocalStream, localBoshBackend } from './local-stream.js';
