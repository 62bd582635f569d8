// Made-up extensions for a stand-in account: a deterministic mix of users, call queues, IVR menus and park locations,
// some users disabled or not activated, so the default monitored set is a strict subset.

export interface StandInExtension {
  id: number;
  extensionNumber: string;
  name: string;
  type: string;
  status: string;
  firstName?: string;
  lastName?: string;
}

export interface SeedOptions {
  /** Id of the first extension; the rest follow (default 700000001). */
  firstId?: number;
  /** Extension number of the first one (default 1001). */
  firstNumber?: number;
}

function kindOf(index: number): { type: string; status: string } {
  if (index % 40 === 39) return { type: 'Department', status: 'Enabled' };
  if (index % 97 === 96) return { type: 'IvrMenu', status: 'Enabled' };
  if (index % 83 === 82) return { type: 'ParkLocation', status: 'Enabled' };
  if (index % 25 === 24) return { type: 'User', status: 'Disabled' };
  if (index % 61 === 60) return { type: 'User', status: 'NotActivated' };
  return { type: 'User', status: 'Enabled' };
}

export function seedExtensions(count: number, options: SeedOptions = {}): StandInExtension[] {
  const firstId = options.firstId ?? 700000001;
  const firstNumber = options.firstNumber ?? 1001;
  return Array.from({ length: count }, (_unused, index) => {
    const { type, status } = kindOf(index);
    const extensionNumber = String(firstNumber + index);
    const label = type === 'Department' ? 'Queue' : type === 'IvrMenu' ? 'Menu' : type === 'ParkLocation' ? 'Park' : 'Agent';
    return type === 'User'
      ? {
          id: firstId + index,
          extensionNumber,
          type,
          status,
          firstName: 'Agent',
          lastName: extensionNumber,
          name: `Agent ${extensionNumber}`,
        }
      : { id: firstId + index, extensionNumber, type, status, name: `${label} ${extensionNumber}` };
  });
}

/** The extension as RingCentral's extension list shows it. */
export function extensionResource(base: string, accountId: string, extension: StandInExtension) {
  const uri = `${base}/restapi/v1.0/account/${accountId}/extension/${extension.id}`;
  return {
    uri,
    id: extension.id,
    extensionNumber: extension.extensionNumber,
    contact: {
      ...(extension.firstName ? { firstName: extension.firstName } : {}),
      ...(extension.lastName ? { lastName: extension.lastName } : {}),
      email: `ext${extension.extensionNumber}@example.invalid`,
    },
    name: extension.name,
    type: extension.type,
    status: extension.status,
    permissions: { admin: { enabled: false }, internationalCalling: { enabled: false } },
    profileImage: { uri: `${uri}/profile-image` },
    hidden: false,
  };
}
