// Admin commands the API sends to the ingest instance that holds the RingCentral login, over Redis pub/sub.

export const adminCommandNames = ['sync-extensions', 'recreate-subscription'] as const;
export type AdminCommandName = (typeof adminCommandNames)[number];

export interface AdminCommand {
  id: string;
  command: AdminCommandName;
}

export interface AdminReply {
  id: string;
  ok: boolean;
  /** e.g. `{ count }` for sync-extensions, the subscription outcome for recreate-subscription. */
  result?: unknown;
  error?: string;
}
