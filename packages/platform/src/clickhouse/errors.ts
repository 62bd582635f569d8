// Which ClickHouse errors are about the data (split the batch, dead-letter the bad record) and which are about the
// server or the network (wait and retry).

/** ClickHouse error codes raised when a value in an inserted row cannot be parsed or stored. */
const contentErrorCodes = new Set([
  6, // CANNOT_PARSE_TEXT
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  32, // ATTEMPT_TO_READ_AFTER_EOF
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  130, // CANNOT_READ_ARRAY_FROM_TEXT
  131, // TOO_LARGE_STRING_SIZE
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
]);

/** The numeric ClickHouse error code of an error from @clickhouse/client, if it has one. */
export function clickHouseErrorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  if (typeof code === 'number') return code;
  const message = (err as { message?: unknown }).message;
  const match = typeof message === 'string' ? /^Code: (\d+)/.exec(message) : null;
  return match ? Number(match[1]) : undefined;
}

/** True when ClickHouse refused the inserted data itself; anything else (network, overload, timeouts) is retried. */
export function isContentError(err: unknown): boolean {
  const code = clickHouseErrorCode(err);
  return code !== undefined && contentErrorCodes.has(code);
}
