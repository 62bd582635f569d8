// The stand-in's account and extension endpoints: account info, the paged extension list (multi-valued type/status
// filters, navigation URIs without perPage as in RingCentral's example), one extension.
import { extensionResource } from './extensions.js';
import { type Routes, rcError } from './replies.js';

export const accountRoutes: Routes = (app, account, options) => {
  const accountMatches = (id: string) => id === '~' || id === account.accountId;

  app.get<{ Params: { account: string } }>('/restapi/v1.0/account/:account', async (request, reply) => {
    if (!accountMatches(request.params.account)) return rcError(reply, 404, 'CMN-102', 'Resource for parameter [accountId] is not found');
    return {
      uri: `${options.baseUrl()}/restapi/v1.0/account/${account.accountId}`,
      id: Number(account.accountId),
      serviceInfo: { brand: { id: '1210', name: 'RingCentral' } },
      mainNumber: '+15550100000',
      status: 'Confirmed',
      setupWizardState: 'Completed',
    };
  });

  // listExtensions: `type` and `status` are multi-valued (type=User&type=Department). As in RingCentral's published
  // example, the `navigation` URIs carry only `page`: a client following them gets the default 100 per page.
  app.get<{
    Params: { account: string };
    Querystring: { page?: string; perPage?: string; type?: string | string[]; status?: string | string[] };
  }>('/restapi/v1.0/account/:account/extension', async (request, reply) => {
    if (!accountMatches(request.params.account)) return rcError(reply, 404, 'CMN-102', 'Resource for parameter [accountId] is not found');
    const page = Math.max(1, Number(request.query.page ?? 1) || 1);
    const perPage = Math.min(1000, Math.max(1, Number(request.query.perPage ?? 100) || 100));
    const values = (value: string | string[] | undefined) => new Set(value === undefined ? [] : Array.isArray(value) ? value : [value]);
    const types = values(request.query.type);
    const statuses = values(request.query.status);
    const all = [...account.extensions.values()].filter(
      (extension) => (types.size === 0 || types.has(extension.type)) && (statuses.size === 0 || statuses.has(extension.status)),
    );
    const totalPages = Math.ceil(all.length / perPage);
    const base = `${options.baseUrl()}/restapi/v1.0/account/${account.accountId}/extension`;
    const pageUri = (n: number) => ({ uri: `${base}?page=${n}` });
    const records = all.slice((page - 1) * perPage, page * perPage);
    return {
      uri: `${base}?page=${page}&perPage=${perPage}`,
      records: records.map((extension) => extensionResource(options.baseUrl(), account.accountId, extension)),
      paging: {
        page,
        totalPages,
        perPage,
        totalElements: all.length,
        ...(records.length ? { pageStart: (page - 1) * perPage, pageEnd: (page - 1) * perPage + records.length - 1 } : {}),
      },
      navigation: {
        firstPage: pageUri(1),
        ...(page < totalPages ? { nextPage: pageUri(page + 1) } : {}),
        ...(page > 1 ? { previousPage: pageUri(page - 1) } : {}),
        lastPage: pageUri(Math.max(1, totalPages)),
      },
    };
  });

  app.get<{ Params: { account: string; id: string } }>('/restapi/v1.0/account/:account/extension/:id', async (request, reply) => {
    const extension = account.extensions.get(Number(request.params.id));
    if (!accountMatches(request.params.account) || !extension) {
      return rcError(reply, 404, 'CMN-102', `Resource for parameter [extensionId] is not found`);
    }
    return extensionResource(options.baseUrl(), account.accountId, extension);
  });
};
