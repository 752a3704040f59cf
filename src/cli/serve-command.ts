import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InvalidRequestError } from '../core/errors.ts';
import { startApp } from '../server/start-app.ts';
import { defaultConfigDir, resolveDataDir } from './paths.ts';
import { VERSION } from './version.ts';

const DEFAULT_PORT = 7878;

interface ServeFlags {
  port?: string;
  dataDir?: string;
  open: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve', { isDefault: true })
    .description('start the server and open the UI (the default command)')
    .option('--port <n>', `port on 127.0.0.1 (0 = any free port; default MP_PORT or ${DEFAULT_PORT})`)
    .option('--data-dir <dir>', 'where the database and token live (default MP_DATA_DIR or the XDG data dir)')
    .option('--no-open', 'do not open a browser')
    .action(async (flags: ServeFlags) => {
      const explicitPort = flags.port ?? process.env.MP_PORT;
      const port = explicitPort === undefined || explicitPort === '' ? DEFAULT_PORT : parsePort(explicitPort);
      const app = await startApp({
        dataDir: resolveDataDir(flags.dataDir),
        configDir: defaultConfigDir(),
        port,
        // A port the person chose must be that port; the default may move on if another instance has it.
        portFallbacks: explicitPort === undefined || explicitPort === '' ? 10 : 0,
        token: process.env.MP_TOKEN,
        webRoot: fileURLToPath(new URL('../../dist/web', import.meta.url)),
        version: VERSION,
      });
      console.log(`ModelProgrammer listening on ${app.url}`);
      if (flags.open) openBrowser(app.url);
      const stop = async () => {
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidRequestError(`--port must be a whole number from 0 to 65535, not ${text}`, 'port');
  }
  return port;
}

/** Only where a display exists; a headless machine just shows the URL. */
function openBrowser(url: string): void {
  const opener =
    process.platform === 'darwin'
      ? 'open'
      : process.env.DISPLAY || process.env.WAYLAND_DISPLAY
        ? 'xdg-open'
        : undefined;
  if (opener === undefined) return;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', (error) =>
    console.error(`could not open a browser (${error.message}); open the URL above`),
  );
  child.unref();
}
