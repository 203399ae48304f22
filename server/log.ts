import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Anything that could carry a secret is redacted by path, so a careless
 * `log.info({ req })` cannot print a password or a token.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'passwordHash',
        '*.passwordHash',
        'token',
        '*.token',
        'jwtSecret',
        '*.jwtSecret',
        'authorization',
        '*.authorization',
        'req.headers.authorization',
        'headers.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
