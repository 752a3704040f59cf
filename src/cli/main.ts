#!/usr/bin/env -S node --experimental-strip-types --max-semi-space-size=16
/**
 * The `mp` command. Each subcommand lives in its own file and registers itself here; `serve` is the default.
 *
 * Node's flags above (and in package.json's `mp` and `start`, kept alike by test/launch-flags.test.ts): V8
 * lets its young generation grow to 64 MiB on a machine with much memory, and a long export keeps each page of
 * records alive across many collections, so it did: 16 MiB took a million-message export from about 300 to
 * 250 MiB at the same speed (bench/RESULTS.md, "export"). Flags, because V8 reads them once, at its start.
 */
import { Command } from 'commander';
import { AppError } from '../core/errors.ts';
import { VERSION } from './version.ts';

type Register = (program: Command) => void;

/**
 * Each command's module, imported only when needed: `serve` pulls in the whole server, which an `mp export`
 * would otherwise load (tens of MiB and a second of TypeScript stripping) before its first record.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./serve-command.ts')).registerServeCommand,
  import: async () => (await import('./import-command.ts')).registerImportCommand,
  export: async () => (await import('./export-command.ts')).registerExportCommand,
  'migrate-store': async () => (await import('./migrate-store-command.ts')).registerMigrateStoreCommand,
  doctor: async () => (await import('./doctor-command.ts')).registerDoctorCommand,
  url: async () => (await import('./url-command.ts')).registerUrlCommand,
  user: async () => (await import('./user-command.ts')).registerUserCommand,
};

const program = new Command()
  .name('mp')
  .description('ModelProgrammer: program together with a language model in a sandboxed terminal')
  .version(VERSION)
  .showHelpAfterError();

// A named command registers alone; anything else (help, the default serve, a mistake) sees them all, in this order.
const named = process.argv[2];
const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
for (const name of wanted) (await COMMANDS[name]!())(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // An error a person can act on gets its message and exit code 1; anything else is a bug: show the stack.
  if (error instanceof AppError) {
    console.error(`mp: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
