// The stand-in's OAuth endpoints: token (JWT and refresh grants, basic client auth) and revoke.
import type { StandInAccount } from './account.js';
import { oauthError, type Routes } from './replies.js';

export const oauthRoutes: Routes = (app, account) => {
  app.post('/restapi/oauth/token', async (request, reply) => {
    const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
    const [clientId, clientSecret] = Buffer.from(encoded ?? '', 'base64')
      .toString()
      .split(':');
    if (scheme !== 'Basic' || clientId !== account.credentials.clientId || clientSecret !== account.credentials.clientSecret) {
      return oauthError(reply, 401, 'invalid_client', 'OAU-123', 'Invalid client: client id or secret is wrong');
    }
    const form = (request.body ?? {}) as Record<string, string>;
    let token: ReturnType<StandInAccount['issueToken']> | undefined;
    if (form.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      if (form.assertion !== account.credentials.jwt) return oauthError(reply, 400, 'invalid_grant', 'OAU-213', 'Token is not valid');
      token = account.issueToken();
    } else if (form.grant_type === 'refresh_token') {
      token = account.refreshToken(form.refresh_token ?? '');
      if (!token) return oauthError(reply, 400, 'invalid_grant', 'OAU-211', 'Token is revoked or expired');
    } else {
      return oauthError(reply, 400, 'unsupported_grant_type', 'OAU-250', `Unsupported grant type: ${form.grant_type ?? '(none)'}`);
    }
    return {
      access_token: token.access,
      token_type: 'bearer',
      expires_in: Math.round((token.accessExpiresAt - Date.now()) / 1000),
      refresh_token: token.refresh,
      refresh_token_expires_in: Math.round((token.refreshExpiresAt - Date.now()) / 1000),
      scope: 'ReadAccounts CallControl ReadCallLog',
      owner_id: account.ownerId(),
      endpoint_id: 'standin-endpoint',
    };
  });

  app.post('/restapi/oauth/revoke', async (request, reply) => {
    account.revoke(((request.body ?? {}) as Record<string, string>).token ?? '');
    return reply.code(200).send();
  });
};
