import { join } from 'node:path';
import { Workbench } from '../agent/workbench.ts';
import { AppError } from '../core/errors.ts';
import { EventBus } from '../core/event-bus.ts';
import { Store } from '../store/store.ts';
import { createServer } from './create-server.ts';
import { loadOrCreateToken } from './instance-token.ts';

export interface StartOptions {
  dataDir: string;
  port: number;
  /** How many following ports to try when `port` is taken. */
  portFallbacks: number;
  token: string | undefined;
  webRoot: string;
  version: string;
}

export interface RunningApp {
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export class PortInUseError extends AppError {
  constructor(port: number) {
    super('port_in_use', `port ${port} is in use; pass --port 0 for any free port, or stop what holds it`);
    this.name = 'PortInUseError';
  }
}

/** Opens the store, builds the server and listens on 127.0.0.1. */
export async function startApp(options: StartOptions): Promise<RunningApp> {
  const token = loadOrCreateToken(options.dataDir, options.token);
  const store = Store.open(join(options.dataDir, 'modelprogrammer.db'));
  const events = new EventBus();
  const workbench = new Workbench(store, events);
  let lastError: unknown;
  for (let attempt = 0; attempt <= options.portFallbacks; attempt++) {
    const wanted = options.port === 0 ? 0 : options.port + attempt;
    const server = { port: wanted };
    const app = await createServer({
      workbench,
      events,
      token,
      get port() {
        return server.port;
      },
      webRoot: options.webRoot,
      version: options.version,
    });
    try {
      await app.listen({ host: '127.0.0.1', port: wanted });
    } catch (error) {
      await app.close();
      lastError = error;
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
      store.close();
      throw error;
    }
    const address = app.server.address();
    server.port = typeof address === 'object' && address !== null ? address.port : wanted;
    return {
      url: `http://127.0.0.1:${server.port}/?token=${token}`,
      port: server.port,
      store,
      close: async () => {
        await app.close();
        store.close();
      },
    };
  }
  store.close();
  if ((lastError as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE')
    throw new PortInUseError(options.port);
  throw lastError;
}
