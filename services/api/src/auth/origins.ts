// Which browsers' requests the API answers (pure): CORS only for the origins of API_CORS_ORIGINS; a request or
// WebSocket upgrade carrying an Origin must come from the same origin or one of those; and without API keys only
// loopback host names (plus API_ALLOWED_HOSTS) are answered, so a page whose DNS name is rebound to 127.0.0.1 cannot
// read the API.

export interface OriginPolicy {
  /** Normalised origins (scheme://host[:port]) that may call the API from a browser, with CORS headers. */
  corsOrigins: ReadonlySet<string>;
  /** Check the Host header (no-key mode). */
  checkHost: boolean;
  /** Host names (lower case, IPv6 in brackets) answered when the Host header is checked. */
  allowedHosts: ReadonlySet<string>;
}

export const loopbackHosts = ['localhost', '127.0.0.1', '[::1]'] as const;

/** `https://Example.com:443/` -> `https://example.com`; undefined when it is not an http(s) origin. */
export function normaliseOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.origin;
}

/** The host name of a Host header (`[::1]:4000` -> `[::1]`, `Example.com.:80` -> `example.com`), lower case. */
export function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  const name = lower.startsWith('[') ? lower.slice(0, lower.indexOf(']') + 1) : (lower.split(':')[0] ?? '');
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/**
 * Whether a request with this Host header is answered. Only the name is checked, not the port: a rebound DNS name
 * keeps the attacker's name whatever the port, and a container's published port may differ from the one listened on.
 */
export function hostAllowed(policy: OriginPolicy, host: string | undefined): boolean {
  if (!policy.checkHost) return true;
  if (host === undefined || host.trim() === '') return false;
  const name = hostName(host);
  return (loopbackHosts as readonly string[]).includes(name) || policy.allowedHosts.has(name);
}

/** Whether a request with this Origin header (none: not a browser's cross-origin call) may be answered. */
export function originAllowed(policy: OriginPolicy, origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  const normalised = normaliseOrigin(origin);
  if (normalised === undefined) return false; // `null` (sandboxed frames, file:) and anything else malformed
  if (policy.corsOrigins.has(normalised)) return true;
  return host !== undefined && new URL(normalised).host === host.trim().toLowerCase();
}

/** The CORS origin to allow for this request's Origin, or undefined (no CORS headers at all). */
export function corsOrigin(policy: OriginPolicy, origin: string | null | undefined): string | undefined {
  if (origin == null) return undefined;
  const normalised = normaliseOrigin(origin);
  return normalised !== undefined && policy.corsOrigins.has(normalised) ? normalised : undefined;
}
