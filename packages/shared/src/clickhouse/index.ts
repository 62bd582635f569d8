// ClickHouse access shared by reporting (writes) and the API (queries): client, escaping, table and view names.
export { type ClickHouseClient, type ClickHouseOptions, clickHouseFromConfig, createClickHouseClient } from './client.js';
export { clickHouseErrorCode, isContentError } from './errors.js';
export { escapeIdentifier, escapeString, escapeValue, ident, list, Sql, type SqlValue, sql, tuple } from './escape.js';
export { qualified, type TableName, tableNames, type ViewName, viewNames } from './names.js';
