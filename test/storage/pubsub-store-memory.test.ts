// Runs the PubsubStore contract (XEP-0060 section 12.1 data model) against the in-memory store.
import { MemoryPubsubStore } from '../../src/storage/memory/pubsub-store.js';
import { describePubsubStore } from './pubsub-store-suite.js';

describePubsubStore('memory', () => ({ store: new MemoryPubsubStore(), close: () => {} }));
