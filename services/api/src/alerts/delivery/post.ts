// One POST of a body to an alert target: undici's fetch with a time limit, redirects not followed (a receiver that
// moved is a failure to fix, not a place to send signed bodies to), the answer's body discarded. The outcome names
// what went wrong in words safe for logs and the admin screen: a status, a timeout or a connection error's code,
// never the URL (a Slack webhook URL is itself a secret) nor any body.
export type PostOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

const connectionErrors: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the receiver',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer headers in time',
};

/** A failure of fetch in words without the URL. */
export function describeFetchError(err: unknown, timeoutMs: number): string {
  const error = err as Error & { cause?: Error & { code?: string } };
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (error.name === 'AbortError') return 'aborted (delivery stopped)';
  const code = error.cause?.code;
  if (code && connectionErrors[code]) return `${connectionErrors[code]} (${code})`;
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return `TLS failed (${code})`;
  const message = (error.cause?.message ?? error.message ?? 'request failed').replace(/\bhttps?:\/\/\S+/g, '<url>');
  return `request failed: ${message.slice(0, 200)}${code ? ` (${code})` : ''}`;
}

export async function postBody(options: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Aborts the request when the delivery stops. */
  signal?: AbortSignal;
}): Promise<PostOutcome> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await fetch(options.url, { method: 'POST', body: options.body, headers: options.headers, redirect: 'manual', signal });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    return { ok: false, status: response.status, error: `HTTP ${response.status}${redirect}` };
  } catch (err) {
    return {
      ok: false,
      status: null,
      error: describeFetchError(timeout.aborted ? Object.assign(new Error('timeout'), { name: 'TimeoutError' }) : err, options.timeoutMs),
    };
  }
}
