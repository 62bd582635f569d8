// The one module touching @ringcentral/sdk: JWT login, and get/post/put/delete that retry on rate limits and turn the
// SDK's errors into RingCentralApiError (method, path, status, RingCentral's errorCode and message). Every HTTP request
// the SDK sends (its token requests too) goes through the process's rate limiter for this (server, app, user).
import { randomUUID } from 'node:crypto';
import type { Logger } from '@callpulse/platform';
import { SDK } from '@ringcentral/sdk';
import type { RingCentralCredentials } from './config.js';
import { type RateLimiterOptions, sharedRateLimiter } from './rate-limiter.js';
import { type RetryableFailure, type RetryOptions, withRetry } from './retry.js';

type Query = Record<string, string | number | boolean>;

export interface RcApi {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  delete(path: string): Promise<void>;
  logout(): Promise<void>;
}

export class RingCentralApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    readonly errorCode: string | undefined,
    readonly retryAfter: string | null | undefined,
    detail: string,
    readonly networkCode?: string,
  ) {
    super(`RingCentral ${method} ${path} failed: ${status ?? networkCode ?? 'no response'}${errorCode ? ` [${errorCode}]` : ''} ${detail}`);
    this.name = 'RingCentralApiError';
  }
}

export class RingCentralLoginError extends Error {
  constructor(server: string, cause: RingCentralApiError | Error) {
    super(
      `RingCentral login (JWT flow) at ${server} failed: ${cause.message}. ` +
        'Check RC_SERVER_URL, RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT (the JWT must belong to the app of RC_CLIENT_ID).',
    );
    this.name = 'RingCentralLoginError';
  }
}

interface SdkError extends Error {
  response?: { status: number; headers: { get(name: string): string | null }; clone(): { json(): Promise<unknown> } };
  code?: string;
}

async function toApiError(method: string, path: string, err: unknown): Promise<RingCentralApiError> {
  if (err instanceof RingCentralApiError) return err;
  const sdkError = err as SdkError;
  const response = sdkError.response;
  let errorCode: string | undefined;
  if (response) {
    try {
      const body = (await response.clone().json()) as { errorCode?: string; error?: string; errors?: Array<{ errorCode?: string }> };
      errorCode = body.errorCode ?? body.errors?.[0]?.errorCode ?? body.error;
    } catch {
      // not JSON: the message from the SDK is all there is
    }
  }
  const networkCode = sdkError.code ?? (sdkError as { cause?: { code?: string } }).cause?.code;
  return new RingCentralApiError(
    method,
    path,
    response?.status,
    errorCode,
    response?.headers.get('retry-after'),
    sdkError.message,
    networkCode,
  );
}

const describe = (err: unknown): RetryableFailure => {
  const apiError = err as RingCentralApiError;
  return { status: apiError.status, retryAfter: apiError.retryAfter, code: apiError.networkCode };
};

export interface LoginOptions {
  logger: Logger;
  retry?: RetryOptions;
  signal?: AbortSignal;
  onRetry?: (status: string) => void;
  /** The rate limiter's options (tests shorten the fallback penalty). */
  rateLimits?: RateLimiterOptions;
  /** Called when an answer paused a rate-limit group. */
  onPause?: (group: string, cause: string, ms: number) => void;
}

/** Logs in with the JWT flow; throws RingCentralLoginError with RingCentral's reason when refused. */
export async function loginWithJwt(credentials: RingCentralCredentials, options: LoginOptions): Promise<RcApi> {
  const limiter = sharedRateLimiter(credentials, options.rateLimits);
  const sdk = new SDK({
    server: credentials.server,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    appName: 'callpulse',
    // The SDK's token cache is a process-wide in-memory store: a prefix per instance keeps logins apart.
    cachePrefix: `rc-${randomUUID()}-`,
  });
  // The SDK sends every request through its externals' fetch (node-fetch): wrapped, each one waits for its group.
  const externals = sdk.externals();
  const sdkFetch = externals.fetch;
  type SdkRequest = { url: string; method: string };
  externals.fetch = (async (request: SdkRequest) => {
    const path = new URL(request.url).pathname;
    const group = limiter.groupFor(request.method, path);
    // The revoke on logout is sent after stop() aborted the rest (and is itself bounded by a timeout there).
    await limiter.acquire(group, path === '/restapi/oauth/revoke' ? undefined : options.signal);
    let response: Response;
    let seen: ReturnType<typeof limiter.observe>;
    try {
      response = await sdkFetch.call(null, request as unknown as Request);
      seen = limiter.observe(group, request.method, path, response.status, response.headers);
    } finally {
      limiter.release(group);
    }
    if (seen.paused) {
      options.onPause?.(seen.group, seen.paused.cause, seen.paused.ms);
      options.logger.warn(
        { group: seen.group, cause: seen.paused.cause, waitMs: seen.paused.ms, method: request.method, path },
        seen.paused.cause === 'rate-limited'
          ? 'RingCentral rate limit hit (429): every request of the group waits for the penalty to end'
          : 'RingCentral rate-limit budget of the group used up: its requests wait a window',
      );
    }
    return response;
  }) as unknown as typeof fetch;
  const platform = sdk.platform();
  const retrying = <T>(method: string, path: string, call: () => Promise<T>) =>
    withRetry(
      `${method} ${path}`,
      async () => {
        try {
          return await call();
        } catch (err) {
          throw await toApiError(method, path, err);
        }
      },
      describe,
      { logger: options.logger, options: options.retry, signal: options.signal, onRetry: options.onRetry },
    );
  const login = async () => {
    try {
      await retrying('POST', '/restapi/oauth/token', () => platform.login({ jwt: credentials.jwt }));
    } catch (err) {
      throw new RingCentralLoginError(credentials.server, err as Error);
    }
  };
  await login();
  options.logger.info({ server: credentials.server }, 'logged in to RingCentral (JWT flow)');

  // A refresh token ends too (the SDK then throws without a response, or 401): log in again with the JWT, once.
  const withRelogin = async <T>(method: string, path: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await retrying(method, path, call);
    } catch (err) {
      const apiError = err as RingCentralApiError;
      const noResponse = apiError.status === undefined && apiError.networkCode === undefined;
      const authLost = apiError.status === 401 || (noResponse && /token/i.test(apiError.message));
      if (!authLost) throw err;
      options.logger.warn({ path, reason: apiError.message }, 'RingCentral session lost; logging in again');
      await login();
      return retrying(method, path, call);
    }
  };

  return {
    get: async <T>(path: string, query?: Query) => (await (await withRelogin('GET', path, () => platform.get(path, query))).json()) as T,
    post: async <T>(path: string, body?: unknown) => {
      const response = await withRelogin('POST', path, () => platform.post(path, body));
      const text = await response.text();
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
    put: async <T>(path: string, body?: unknown) => {
      const response = await withRelogin('PUT', path, () => platform.put(path, body));
      const text = await response.text();
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
    delete: async (path: string) => {
      await withRelogin('DELETE', path, () => platform.delete(path));
    },
    logout: async () => {
      await platform.logout();
    },
  };
}
