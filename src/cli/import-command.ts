import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { importLegacyData, type LegacyImportProgress } from '../agent/legacy-import.ts';
import { AppError, InvalidRequestError } from '../core/errors.ts';
import { legacyImportSummary } from '../core/legacy/import-summary.ts';
import { importDump, parseDumpHeader } from '../store/dump.ts';
import { readLegacyDatabase } from '../store/legacy/legacy-reader.ts';
import { Store } from '../store/store.ts';
import { copySummary } from './migrate-store-command.ts';
import { resolveDataDir } from './paths.ts';
import { progressBar } from './progress-bar.ts';
import { chooseStore, DATABASE_FLAG, DATABASE_FLAG_HELP } from './store-choice.ts';

interface ImportFlags {
  dataDir?: string;
  database?: string;
}

export function registerImportCommand(program: Command): void {
  const importCommand = program
    .command('import')
    .description('bring data from elsewhere into ModelProgrammer');
  importCommand
    .command('legacy')
    .description(
      'import a database written by the original 2023 Python/Qt ModelProgrammer (importing again adds only what is new)',
    )
    .argument('<path>', "the original app's .db file (only read, never changed)")
    .option('--data-dir <dir>', 'where the database lives (default MP_DATA_DIR or the XDG data dir)')
    .option(DATABASE_FLAG, DATABASE_FLAG_HELP)
    .action(async (path: string, flags: ImportFlags) => {
      // Read and check the whole file first: a file that is not a legacy database must not even create the
      // data dir (nor reach a PostgreSQL server).
      const database = chooseStore(flags.database);
      const legacy = readLegacyDatabase(path);
      const store = await Store.open(database, { dataDir: resolveDataDir(flags.dataDir) });
      const progress = progressBar('Importing {bar} {value}/{total} messages');
      try {
        const result = await importLegacyData({
          store,
          legacy,
          onProgress: ({ done, total }: LegacyImportProgress) => progress.update(done, total),
        });
        progress.stop();
        console.log(legacyImportSummary(result, basename(path), result.found.conversations));
      } finally {
        progress.stop();
        await store.close();
      }
    });
  importCommand
    .command('dump')
    .description(
      'read a dump (mp export --format dump) into this store with ids kept; rows already there are not added again, so overlapping dumps merge',
    )
    .argument('<file>', 'the dump file (only read)')
    .option('--data-dir <dir>', 'where the database lives (default MP_DATA_DIR or the XDG data dir)')
    .option(DATABASE_FLAG, DATABASE_FLAG_HELP)
    .action(async (path: string, flags: ImportFlags) => {
      const database = chooseStore(flags.database);
      const bytes = dumpSize(path);
      let read = 0;
      const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity })[
        Symbol.asyncIterator
      ]();
      const first = await lines.next();
      // A file that is not a dump this mp reads must not even create the data dir.
      try {
        parseDumpHeader(first.done === true ? undefined : first.value);
      } catch (error) {
        throw inFile(path, error);
      }
      async function* counted() {
        if (first.done === true) return;
        read += Buffer.byteLength(first.value) + 1;
        yield first.value;
        for (let next = await lines.next(); next.done !== true; next = await lines.next()) {
          read += Buffer.byteLength(next.value) + 1;
          yield next.value;
        }
      }
      const store = await Store.open(database, {
        dataDir: resolveDataDir(flags.dataDir),
        // The import indexes what it wrote before it returns; no background batch in a command that exits.
        searchIndexDelayMs: 60_000,
      });
      const progress = progressBar('Importing {stage} {bar} {percentage}%');
      try {
        const result = await importDump({
          to: store,
          lines: counted(),
          onProgress: ({ table }) => progress.update(Math.min(read, bytes), bytes, table),
        }).catch((error: unknown) => {
          throw inFile(path, error);
        });
        progress.stop();
        console.log(copySummary(result, path, describeTarget(flags)));
      } finally {
        progress.stop();
        await store.close();
      }
    });
}

/** A dump's InvalidRequestError names its line: say which file the line is in. */
function inFile(path: string, error: unknown): unknown {
  return error instanceof InvalidRequestError ? new AppError('bad_dump', `${path}: ${error.message}`) : error;
}

/** The dump's size for the progress bar; a missing file is said before the store is opened. */
function dumpSize(path: string): number {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a file');
    return stat.size;
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'not a file';
    throw new AppError(
      'bad_dump',
      `${path}: cannot read the dump (${reason}); name a file written by mp export --format dump`,
    );
  }
}

function describeTarget(flags: ImportFlags): string {
  const choice = chooseStore(flags.database);
  return choice.engine === 'postgres' ? choice.display : resolveDataDir(flags.dataDir);
}
