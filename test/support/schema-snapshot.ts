/**
 * A database's schema as plain data, so tests can compare the PostgreSQL schema with itself (fresh vs.
 * upgraded) and with the SQLite schema at the same version (issue 10: "version for version").
 *
 * In the comparable form, each engine's column types fold into SQLite's two classes (INTEGER, TEXT), and the
 * differences the engines are meant to have are left out: the FTS5 tables (SQLite), the search text and its
 * tsvector with their trigger and GIN index, the TRUNCATE refusals and the schema-version table (PostgreSQL).
 */

import type { PostgresLocation } from '../../src/store/engines/database-url.ts';
import type { SqliteDatabase } from '../../src/store/open-database.ts';
import { connectRaw } from './postgres.ts';

export interface ComparableSchema {
  tables: Record<string, { columns: Column[]; foreignKeys: string[]; unique: string[] }>;
  indexes: string[];
  triggers: string[];
}

interface Column {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  primaryKeyPosition: number;
}

const POSTGRES_ONLY_COLUMNS = new Set(['search_documents.text', 'search_documents.document']);
const POSTGRES_ONLY_INDEXES = new Set(['search_documents_document']);

export function sqliteSchema(db: SqliteDatabase): ComparableSchema {
  const all = <T>(query: string) => db.prepare(query).all() as unknown as T[];
  const tables: ComparableSchema['tables'] = {};
  const names = all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%'",
  );
  for (const { name } of names) {
    const columns = all<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }>(`PRAGMA table_info(${name})`).map((column) => ({
      name: column.name,
      type: column.type.toUpperCase(),
      notNull: column.notnull === 1 || column.pk > 0,
      default: column.dflt_value,
      primaryKeyPosition: column.pk,
    }));
    const foreignKeys = all<{ from: string; table: string; to: string }>(
      `PRAGMA foreign_key_list(${name})`,
    ).map((key) => `${key.from} -> ${key.table}(${key.to})`);
    const unique = all<{ name: string; origin: string }>(`PRAGMA index_list(${name})`)
      .filter((index) => index.origin === 'u')
      .map((index) =>
        all<{ name: string }>(`PRAGMA index_info(${index.name})`)
          .map((column) => column.name)
          .join(','),
      );
    tables[name] = { columns: sortBy(columns), foreignKeys: foreignKeys.sort(), unique: unique.sort() };
  }
  const indexes = all<{ name: string; table: string }>(
    'SELECT name, tbl_name AS "table" FROM sqlite_master WHERE type = \'index\' AND sql IS NOT NULL',
  ).map((index) => {
    const columns = all<{ name: string }>(`PRAGMA index_info(${index.name})`).map((column) => column.name);
    return `${index.name} ON ${index.table}(${columns.join(',')})`;
  });
  const triggers = all<{ name: string; table: string }>(
    'SELECT name, tbl_name AS "table" FROM sqlite_master WHERE type = \'trigger\'',
  ).map((trigger) => `${trigger.name} ON ${trigger.table}`);
  return { tables, indexes: indexes.sort(), triggers: triggers.sort() };
}

/** The full schema (for fresh-vs-upgraded equality), or with `comparable` the form `sqliteSchema` gives. */
export async function postgresSchema(
  location: PostgresLocation,
  options: { comparable?: boolean } = {},
): Promise<ComparableSchema | Record<string, unknown>> {
  const client = await connectRaw(location);
  try {
    const rows = async <T>(query: string) => (await client.query(query)).rows as T[];
    if (!options.comparable) {
      return {
        columns: await rows(
          `SELECT table_name, column_name, data_type, is_nullable, column_default, is_generated, generation_expression
             FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, column_name`,
        ),
        indexes: await rows(
          `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1`,
        ),
        constraints: await rows(
          `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
             WHERE connamespace = current_schema()::regnamespace ORDER BY 1`,
        ),
        triggers: await rows(
          'SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1',
        ),
        functions: await rows(
          `SELECT proname, prosrc FROM pg_proc WHERE pronamespace = current_schema()::regnamespace ORDER BY 1`,
        ),
      };
    }
    const columnRows = await rows<{
      table: string;
      name: string;
      type: string;
      not_null: boolean;
      default: string | null;
      pk: number;
    }>(
      `SELECT c.table_name AS "table", c.column_name AS name, c.data_type AS type, c.is_nullable = 'NO' AS not_null,
          c.column_default AS "default",
          COALESCE((SELECT array_position(k.conkey, a.attnum) FROM pg_constraint k
                     WHERE k.conrelid = (c.table_name)::regclass AND k.contype = 'p'), 0)::int AS pk
         FROM information_schema.columns c
         JOIN pg_attribute a ON a.attrelid = (c.table_name)::regclass AND a.attname = c.column_name
         WHERE c.table_schema = current_schema() AND c.table_name <> 'mp_schema_migrations'`,
    );
    const tables: ComparableSchema['tables'] = {};
    for (const column of columnRows) {
      if (POSTGRES_ONLY_COLUMNS.has(`${column.table}.${column.name}`)) continue;
      tables[column.table] ??= { columns: [], foreignKeys: [], unique: [] };
      tables[column.table]!.columns.push({
        name: column.name,
        type:
          column.type === 'text'
            ? 'TEXT'
            : ['integer', 'bigint'].includes(column.type)
              ? 'INTEGER'
              : column.type,
        notNull: column.not_null,
        default: column.default === null ? null : column.default.replace(/::[a-z ]+$/, ''),
        primaryKeyPosition: column.pk,
      });
    }
    const constraints = await rows<{
      table: string;
      kind: string;
      columns: string[];
      target: string | null;
      target_columns: string[] | null;
    }>(
      `SELECT k.conrelid::regclass::text AS "table", k.contype AS kind,
          (SELECT array_agg(a.attname::text ORDER BY o) FROM unnest(k.conkey) WITH ORDINALITY u(n, o)
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) AS columns,
          k.confrelid::regclass::text AS target,
          (SELECT array_agg(a.attname::text ORDER BY o) FROM unnest(k.confkey) WITH ORDINALITY u(n, o)
             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n) AS target_columns
         FROM pg_constraint k
         WHERE k.connamespace = current_schema()::regnamespace AND k.contype IN ('f', 'u')`,
    );
    for (const constraint of constraints) {
      const table = tables[constraint.table];
      if (table === undefined) continue;
      if (constraint.kind === 'u') table.unique.push(constraint.columns.join(','));
      else
        table.foreignKeys.push(
          `${constraint.columns.join(',')} -> ${constraint.target}(${constraint.target_columns?.join(',')})`,
        );
    }
    for (const table of Object.values(tables)) {
      table.columns = sortBy(table.columns);
      table.foreignKeys.sort();
      table.unique.sort();
    }
    const indexes = await rows<{ name: string; table: string; columns: string[] }>(
      `SELECT i.relname AS name, t.relname AS "table",
          (SELECT array_agg(a.attname::text ORDER BY o) FROM unnest(x.indkey) WITH ORDINALITY u(n, o)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.n) AS columns
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
         WHERE t.relnamespace = current_schema()::regnamespace
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
    );
    const triggers = await rows<{ name: string; table: string }>(
      `SELECT tgname AS name, tgrelid::regclass::text AS "table" FROM pg_trigger
         WHERE NOT tgisinternal AND tgname NOT LIKE '%_no_truncate' AND tgname <> 'search_documents_tsvector'`,
    );
    return {
      tables,
      indexes: indexes
        .filter((index) => !POSTGRES_ONLY_INDEXES.has(index.name))
        .map((index) => `${index.name} ON ${index.table}(${index.columns.join(',')})`)
        .sort(),
      triggers: triggers.map((trigger) => `${trigger.name} ON ${trigger.table}`).sort(),
    };
  } finally {
    await client.end();
  }
}

function sortBy<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}
