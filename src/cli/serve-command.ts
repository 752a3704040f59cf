import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import { startApp } from '../server/start-app.ts';
import { openBrowser } from './open-browser.ts';
import { parsePort } from './parse-port.ts';
import { defaultConfigDir, resolveDataDir } from './paths.ts';
import { removePortFile, writePortFile } from './port-file.ts';
import { chooseStore, DATABASE_FLAG, DATABASE_FLAG_HELP, describeStore } from './store-choice.ts';
import { VERSION } from './version.ts';

const DEFAULT_PORT = 7878;

interface ServeFlags {
  port?: string;
  dataDir?: string;
  database?: string;
  open: boolean;
  shellIdleMinutes?: number;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve', { isDefault: true })
    .description('start the server and open the UI (the default command)')
    .option('--port <n>', `port on 127.0.0.1 (0 = any free port; default MP_PORT or ${DEFAULT_PORT})`)
    .option('--data-dir <dir>', 'where the database and token live (default MP_DATA_DIR or the XDG data dir)')
    .option(DATABASE_FLAG, DATABASE_FLAG_HELP)
    .option('--no-open', 'do not open a browser')
    .option(
      '--shell-idle-minutes <n>',
      'close a conversation’s shell after this many minutes unused; it reopens where it was (default 15, 0 = never)',
      parseIdleMinutes,
    )
    .action(async (flags: ServeFlags) => {
      const explicitPort = flags.port ?? process.env.MP_PORT;
      const port = explicitPort === undefined || explicitPort === '' ? DEFAULT_PORT : parsePort(explicitPort);
      const dataDir = resolveDataDir(flags.dataDir);
      const database = chooseStore(flags.database);
      const app = await startApp({
        dataDir,
        configDir: defaultConfigDir(),
        port,
        // A port the person chose must be that port; the default may move on if another instance has it.
        portFallbacks: explicitPort === undefined || explicitPort === '' ? 10 : 0,
        token: process.env.MP_TOKEN,
        database,
        webRoot: fileURLToPath(new URL('../../dist/web', import.meta.url)),
        version: VERSION,
        ...(flags.shellIdleMinutes === undefined ? {} : { shellIdleMs: flags.shellIdleMinutes * 60_000 }),
      });
      writePortFile(dataDir, app.port);
      console.log(`Store: ${describeStore(database, dataDir)}`);
      // The link carries a single-use code that expires in 60 s, never the token: this line may be copied
      // around and the opener's argv is public (issue 7 item 2). Tests parse this line; keep its shape.
      console.log(
        `ModelProgrammer listening on ${app.signInUrl()} (sign-in link: works once, for 60 s; \`mp url\` prints a fresh one)`,
      );
      if (flags.open) openBrowser(app.signInUrl());
      const stop = async () => {
        removePortFile(dataDir, app.port);
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

function parseIdleMinutes(value: string): number {
  const minutes = Number(value);
  if (value.trim() === '' || !Number.isFinite(minutes) || minutes < 0) {
    throw new InvalidArgumentError(
      `--shell-idle-minutes must be a number of minutes, 0 or more, not ${value}`,
    );
  }
  return minutes;
}
