// A send that must be acknowledged before a deadline (the producers': kafkajs' in platform, @platformatic/kafka's in
// ingest): the send's promise, or a rejection once the deadline passed, whichever comes first.

/** Waits for `sending` until `deadline` (epoch ms; undefined: no deadline); past it, rejects and abandons the send. */
export async function untilDeadline<T>(sending: Promise<T>, deadline: number | undefined): Promise<T> {
  if (deadline === undefined) return sending;
  sending.catch(() => undefined); // abandoned at the deadline: its own failure no longer matters
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      sending,
      new Promise<never>((_, reject) => {
        const waitMs = deadline - Date.now();
        timer = setTimeout(() => reject(new Error(`no acknowledgement within the deadline (${waitMs} ms left at send)`)), waitMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
