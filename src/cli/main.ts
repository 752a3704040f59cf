#!/usr/bin/env -S node --experimental-strip-types
/**
 * The `mp` command. Each subcommand lives in its own file and registers itself here; `serve` is the default.
 */
import { Command } from 'commander';
import { AppError } from '../core/errors.ts';
import { registerDoctorCommand } from './doctor-command.ts';
import { registerExportCommand } from './export-command.ts';
import { registerImportCommand } from './import-command.ts';
import { registerMigrateStoreCommand } from './migrate-store-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerUrlCommand } from './url-command.ts';
import { registerUserCommand } from './user-command.ts';
import { VERSION } from './version.ts';

const program = new Command()
  .name('mp')
  .description('ModelProgrammer: program together with a language model in a sandboxed terminal')
  .version(VERSION)
  .showHelpAfterError();

registerServeCommand(program);
registerImportCommand(program);
registerExportCommand(program);
registerMigrateStoreCommand(program);
registerDoctorCommand(program);
registerUrlCommand(program);
registerUserCommand(program);

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
