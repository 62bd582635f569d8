// The simulated RingCentral account: agents (monitored users), call queues and an IVR menu, with names and numbers.
import type { DirectoryExtension } from '@callpulse/contracts';

export const MAX_EXTENSIONS = 20_000;

const firstNames = ['Avery', 'Blake', 'Casey', 'Dana', 'Eden', 'Finley', 'Gray', 'Harper', 'Indy', 'Jordan', 'Kai', 'Logan', 'Morgan'];
const lastNames = ['Abbott', 'Brennan', 'Castillo', 'Delacroix', 'Ekwueme', 'Fontaine', 'Gallagher', 'Hayashi', 'Iverson', 'Jovanovic'];
const queueNames = ['Support', 'Sales', 'Billing', 'Renewals', 'Onboarding', 'Returns', 'Technical', 'Partners'];

export interface SimulatedQueue {
  id: string;
  name: string;
}

export interface SimulatedAccount {
  accountId: string;
  companyNumber: string;
  /** Monitored users, in extension-number order. */
  agentIds: string[];
  queues: SimulatedQueue[];
  ivrExtensionId: string;
  /** Every extension above as the directory keeps it. */
  directory: DirectoryExtension[];
}

/** An account of `extensions` agents (ids 6xxxxxxxx, numbers from 1001), one queue per 50 agents and one IVR menu. */
export function simulatedAccount(extensions: number, accountId = '100200300'): SimulatedAccount {
  if (!Number.isInteger(extensions) || extensions < 3 || extensions > MAX_EXTENSIONS) {
    throw new Error(`extensions must be an integer from 3 to ${MAX_EXTENSIONS}, got ${extensions}`);
  }
  const directory: DirectoryExtension[] = [];
  const agentIds: string[] = [];
  for (let index = 0; index < extensions; index++) {
    const id = String(600_000_001 + index);
    const first = firstNames[index % firstNames.length];
    const last = lastNames[Math.floor(index / firstNames.length) % lastNames.length];
    const round = Math.floor(index / (firstNames.length * lastNames.length));
    const name = `${first} ${last}${round > 0 ? ` ${round + 1}` : ''}`;
    agentIds.push(id);
    directory.push({ id, extensionNumber: String(1001 + index), name, type: 'User', status: 'Enabled' });
  }
  const queues = Array.from({ length: Math.max(1, Math.ceil(extensions / 50)) }, (_, index): SimulatedQueue => {
    const base = queueNames[index % queueNames.length];
    const round = Math.floor(index / queueNames.length);
    return { id: String(700_000_001 + index), name: `${base}${round > 0 ? ` ${round + 1}` : ''} Queue` };
  });
  queues.forEach((queue, index) => {
    directory.push({ id: queue.id, extensionNumber: String(30_001 + index), name: queue.name, type: 'Department', status: 'Enabled' });
  });
  const ivrExtensionId = '790000001';
  directory.push({ id: ivrExtensionId, extensionNumber: '30000', name: 'Main Menu', type: 'IvrMenu', status: 'Enabled' });
  return { accountId, companyNumber: '+18885550142', agentIds, queues, ivrExtensionId, directory };
}
