import type { Command } from 'commander';
import { AppError } from '../core/errors.ts';
import { COPIED_TABLES, copyStore, type StoreCopyResult } from '../store/copy-store.ts';
import { type DatabaseChoice, parsePostgresUrl } from '../store/engines/database-url.ts';
import { Store } from '../store/store.ts';
import { resolveDataDir } from './paths.ts';
import { progressBar } from './progress-bar.ts';

interface MigrateFlags {
  from: string;
  to: string;
}

/** A store named on the command line: a `postgres://` URL, or a data dir holding the SQLite store. */
interface StoreLocation {
  choice: DatabaseChoice;
  dataDir?: string;
  display: string;
}

export function registerMigrateStoreCommand(program: Command): void {
  program
    .command('migrate-store')
    .description(
      'copy a store into another, SQLite ⇄ PostgreSQL, keeping ids and history (running it again adds only what is new)',
    )
    .requiredOption(
      '--from <data-dir|url>',
      'the store to read: a data dir (SQLite) or postgres://… (never changed)',
    )
    .requiredOption('--to <data-dir|url>', 'the store to write: a data dir (SQLite) or postgres://…')
    .action(async (flags: MigrateFlags) => {
      const from = storeLocation(flags.from);
      const to = storeLocation(flags.to);
      if (from.display === to.display) {
        throw new AppError(
          'same_store',
          `--from and --to both name ${from.display}; name two different stores`,
        );
      }
      const source = await Store.open(from.choice, storeOptions(from));
      try {
        const target = await Store.open(to.choice, storeOptions(to));
        const progress = progressBar('Copying {stage} {bar} {value}/{total}');
        try {
          const result = await copyStore({
            from: source,
            to: target,
            onProgress: ({ table, done, total }) => progress.update(done, total, table),
          });
          progress.stop();
          console.log(copySummary(result, from.display, to.display));
        } finally {
          progress.stop();
          await target.close();
        }
      } finally {
        await source.close();
      }
    });
}

function storeLocation(text: string): StoreLocation {
  if (/^postgres(ql)?:\/\//i.test(text.trim())) {
    const location = parsePostgresUrl(text);
    return { choice: location, display: location.display };
  }
  const dataDir = resolveDataDir(text);
  return { choice: { engine: 'sqlite' }, dataDir, display: dataDir };
}

function storeOptions(location: StoreLocation): { dataDir?: string; searchIndexDelayMs: number } {
  // The copy indexes what it wrote before it returns; no background batch is wanted in a command that exits.
  const options = { searchIndexDelayMs: 60_000 };
  return location.dataDir === undefined ? options : { ...options, dataDir: location.dataDir };
}

/**
 * @example
 * copySummary(result, '/data', 'postgres://mp@db/mp')
 * // "Copied /data to postgres://mp@db/mp: conversations 3 added …"
 */
export function copySummary(result: StoreCopyResult, from: string, to: string): string {
  const lines = COPIED_TABLES.map((table) => {
    const { added, updated, unchanged } = result[table];
    return `  ${table.padEnd(18)} ${added} added, ${updated} updated, ${unchanged} already there`;
  });
  const changed = COPIED_TABLES.some((table) => result[table].added + result[table].updated > 0);
  return [
    `Copied ${from} to ${to}${changed ? '' : ' (nothing new: the target already held all of it)'}:`,
    ...lines,
  ].join('\n');
}
