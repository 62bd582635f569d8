// Structured logs (pino), secrets redacted.
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["verification-token"]',
        'headers.authorization',
        '*.password',
        '*.clientSecret',
        '*.jwt',
        '*.verificationToken',
      ],
      censor: '[redacted]',
    },
  });
}
