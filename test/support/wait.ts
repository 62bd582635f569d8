// Awaiting a condition instead of sleeping: testkit's waitFor, where the tests under test/ and services/*/test import it.
export { waitFor } from '@callpulse/testkit/wait';
