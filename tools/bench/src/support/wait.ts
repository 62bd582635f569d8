// Awaiting a condition instead of sleeping: testkit's waitFor, where the bench's parts import it.
export { waitFor } from '@callpulse/testkit/wait';
