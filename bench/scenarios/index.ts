// Every scenario by the name used on the command line (`npm run bench -- <name>`).

import type { Scenario } from './scenario.js';
import { logins } from './logins.js';
import { idleMemory } from './idle-memory.js';
import { pubsubFanout } from './pubsub-fanout.js';
import { pubsub10k } from './pubsub-10k.js';
import { boshPingpong } from './bosh-pingpong.js';
import { boshSessions } from './bosh-sessions.js';
import { websocketRoundtrip } from './websocket-roundtrip.js';
import { clusterPingpong } from './cluster-pingpong.js';

export const SCENARIOS: Record<string, Scenario> = {
  logins,
  'idle-memory': idleMemory,
  'pubsub-fanout': pubsubFanout,
  'pubsub-10k': pubsub10k,
  'bosh-pingpong': boshPingpong,
  'bosh-sessions': boshSessions,
  'websocket-roundtrip': websocketRoundtrip,
  'cluster-pingpong': clusterPingpong,
};
