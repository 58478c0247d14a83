// Interop: `almanac connection-manager` in front of Prosody (Debian package, started privately on loopback);
// Strophe.js over BOSH logs in through it, chats with a TCP client and receives a pubsub notification.

import { connectionManagerPeerScenario } from '../support/connection-manager-peer-scenario.js';

connectionManagerPeerScenario('prosody');
