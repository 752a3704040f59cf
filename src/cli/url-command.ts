import type { Command } from 'commander';
import { readToken } from '../server/instance-token.ts';
import { mintSignInCode } from '../server/sign-in-code.ts';
import { openBrowser } from './open-browser.ts';
import { parsePort } from './parse-port.ts';
import { resolveDataDir } from './paths.ts';
import { readServerRecord } from './port-file.ts';

const DEFAULT_PORT = 7878;

interface UrlFlags {
  port?: string;
  dataDir?: string;
  open?: boolean;
}

/**
 * `mp url`: a fresh sign-in link for a running server, minted from the token file without asking the server
 * (the code is an HMAC of the token; see src/server/sign-in-code.ts). For a second tab, another browser, or
 * when the printed link has expired or was used. A team server (it says so in its port file) refuses such a
 * link: there `mp url` prints the address people open and says to sign in with an account.
 */
export function registerUrlCommand(program: Command): void {
  program
    .command('url')
    .description('print a fresh sign-in link (single use, valid for 60 s) for the running server')
    .option(
      '--port <n>',
      `the server's port (default: the one \`mp serve\` wrote, MP_PORT, or ${DEFAULT_PORT})`,
    )
    .option('--data-dir <dir>', 'where the token lives (default MP_DATA_DIR or the XDG data dir)')
    .option('--open', 'open the link in a browser too')
    .action((flags: UrlFlags) => {
      const dataDir = resolveDataDir(flags.dataDir);
      const record = readServerRecord(dataDir);
      const fromEnvironment = process.env.MP_PORT;
      const port =
        flags.port !== undefined
          ? parsePort(flags.port)
          : (record?.port ??
            (fromEnvironment === undefined || fromEnvironment === ''
              ? DEFAULT_PORT
              : parsePort(fromEnvironment)));
      if (record?.team !== undefined && record.port === port) {
        // The token signs no one in on a team server, so a code minted from it would only be refused.
        console.log(record.team.url);
        console.error(
          'this is a team server: sign in there with your account (an admin adds one in Settings → Accounts, or `mp user add NAME --role ROLE` here)',
        );
        if (flags.open) openBrowser(record.team.url);
        return;
      }
      const token = readToken(dataDir, process.env.MP_TOKEN);
      const url = `http://127.0.0.1:${port}/#code=${mintSignInCode(token)}`;
      console.log(url);
      if (flags.open) openBrowser(url);
    });
}
