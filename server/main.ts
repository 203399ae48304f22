import { startMenteo } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { StoreTooNewError } from './store/sqlite/migration-status.js';

/** Process entry: `npm start`. Logs one line with the URL when ready; SIGTERM/SIGINT stop gracefully. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const server = await startMenteo(config, log);
  log.info({ url: server.url, port: server.port, store: config.store, dataDir: config.dataDir }, `Menteo listening on ${server.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    try {
      await server.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  // A store from a newer version is an operator's situation, not a bug: the message, no stack.
  if (err instanceof StoreTooNewError) {
    console.error(`Menteo refuses to start: ${err.message}`);
    process.exit(1);
  }
  // A ConfigError (bad environment, unreachable or unsuitable database) is told in one line.
  console.error('Menteo failed to start:', err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
