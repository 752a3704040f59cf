import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import { ListenRefusedError } from '../core/listen-plan.ts';
import { loadTokenizer } from '../core/token-count.ts';
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
  team?: boolean;
  host?: string;
  tlsCert?: string;
  tlsKey?: string;
  publicUrl?: string;
  trustProxy?: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve', { isDefault: true })
    .description('start the server and open the UI (the default command)')
    .option('--port <n>', `port on 127.0.0.1 (0 = any free port; default MP_PORT or ${DEFAULT_PORT})`)
    .option('--data-dir <dir>', 'where the database and token live (default MP_DATA_DIR or the XDG data dir)')
    .option(DATABASE_FLAG, DATABASE_FLAG_HELP)
    .option('--no-open', 'do not open a browser')
    .option('--team', 'team server: people sign in with accounts (`mp user add`) instead of the single token')
    .option(
      '--host <addr>',
      'address to listen on (default 127.0.0.1); any other needs --team, and TLS here or at a proxy in front',
    )
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option(
      '--public-url <url>',
      'the address people open, e.g. https://mp.example.org when a TLS proxy is in front (team mode)',
    )
    .option(
      '--trust-proxy <addr>',
      'trust X-Forwarded-For from this proxy address (the client address for sign-in limits)',
    )
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
        serve: {
          ...(flags.host === undefined ? {} : { host: flags.host }),
          team: flags.team === true,
          ...tlsFiles(flags),
          ...(flags.publicUrl === undefined ? {} : { publicUrl: flags.publicUrl }),
          ...(flags.trustProxy === undefined ? {} : { trustProxy: flags.trustProxy }),
        },
      });
      writePortFile(dataDir, app.port, flags.team === true ? { url: app.url } : undefined);
      console.log(`Store: ${describeStore(database, dataDir)}`);
      // The link carries a single-use code that expires in 60 s, never the token: this line may be copied
      // around and the opener's argv is public (issue 7 item 2). Tests parse this line; keep its shape.
      for (const warning of app.warnings) console.warn(warning);
      console.log(
        flags.team === true
          ? `ModelProgrammer listening on ${app.url} (team server: people sign in with their accounts; \`mp user\` manages them)`
          : `ModelProgrammer listening on ${app.signInUrl()} (sign-in link: works once, for 60 s; \`mp url\` prints a fresh one)`,
      );
      if (flags.open) openBrowser(app.signInUrl());
      setImmediate(loadTokenizer);
      const stop = async () => {
        removePortFile(dataDir, app.port);
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/** Both PEM files or neither (listen-plan.ts says so when only one is given); read here, at the edge. */
function tlsFiles(flags: ServeFlags): { tls?: { cert: Buffer; key: Buffer } } {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined) return {};
  if (flags.tlsCert === undefined || flags.tlsKey === undefined) {
    throw new ListenRefusedError('--tls-cert and --tls-key go together: give both (PEM files), or neither');
  }
  return { tls: { cert: readPem(flags.tlsCert, '--tls-cert'), key: readPem(flags.tlsKey, '--tls-key') } };
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ListenRefusedError(
      `cannot read ${flag} ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
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
