/**
 * The shape of a schema (tables, columns in order, primary keys, unique keys, foreign keys,
 * indexes), read from a live SQLite or PostgreSQL database, in one form so the two can be
 * compared: a SQLite migration without its PostgreSQL twin shows as a difference.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';

/** One column: its name, the declared type, and whether NULL is refused. */
export interface ColumnShape {
  name: string;
  type: string;
  notNull: boolean;
}

/** One table. Key and index column lists are joined with ",". */
export interface TableShape {
  columns: ColumnShape[];
  primaryKey: string;
  unique: string[];
  /** "job_id -> jobs(id) on delete cascade" */
  foreignKeys: string[];
  /** "name(col,col)" plus " unique" / " partial" */
  indexes: string[];
}

export type SchemaShape = Record<string, TableShape>;

/** The shape of an SQLite database (sqlite_* tables left out). */
export function sqliteShape(db: Database.Database): SchemaShape {
  const shape: SchemaShape = {};
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
  for (const { name: table } of tables) {
    const info = db.pragma(`table_info(${table})`) as Array<{ name: string; type: string; notnull: number; pk: number }>;
    const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const indexes = db.pragma(`index_list(${table})`) as Array<{ name: string; unique: number; origin: string; partial: number }>;
    const columnsOf = (index: string): string => (db.pragma(`index_info(${index})`) as Array<{ name: string }>).map((c) => c.name).join(',');
    const fks = db.pragma(`foreign_key_list(${table})`) as Array<{ from: string; table: string; to: string; on_delete: string }>;
    shape[table] = {
      // A primary key column refuses NULL in PostgreSQL; SQLite only reports it through `pk`.
      columns: info.map((c) => ({ name: c.name, type: c.type.toUpperCase(), notNull: c.notnull === 1 || c.pk > 0 })),
      primaryKey: pk.join(','),
      unique: indexes.filter((i) => i.origin === 'u').map((i) => columnsOf(i.name)).sort(),
      foreignKeys: fks.map((f) => `${f.from} -> ${f.table}(${f.to}) on delete ${f.on_delete.toLowerCase()}`).sort(),
      indexes: indexes
        .filter((i) => i.origin === 'c')
        .map((i) => `${i.name}(${columnsOf(i.name)})${i.unique ? ' unique' : ''}${i.partial ? ' partial' : ''}`)
        .sort(),
    };
  }
  return shape;
}

/** The shape of the current schema of a PostgreSQL database, leaving out the tables named in `except`. */
export async function pgShape(client: pg.ClientBase | pg.Pool, except: readonly string[] = []): Promise<SchemaShape> {
  const shape: SchemaShape = {};
  const columns = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  for (const c of columns.rows) {
    if (except.includes(c.table_name)) continue;
    shape[c.table_name] ??= { columns: [], primaryKey: '', unique: [], foreignKeys: [], indexes: [] };
    shape[c.table_name]!.columns.push({ name: c.column_name, type: c.data_type, notNull: c.is_nullable === 'NO' });
  }
  const constraints = await client.query<{ table_name: string; contype: string; cols: string; ref_table: string | null; ref_cols: string | null; confdeltype: string }>(
    `SELECT t.relname AS table_name, c.contype,
            (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS cols,
            r.relname AS ref_table,
            (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS ref_cols,
            c.confdeltype
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class r ON r.oid = c.confrelid
     WHERE t.relnamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f')`,
  );
  const deleteActions: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
  for (const c of constraints.rows) {
    const t = shape[c.table_name];
    if (!t) continue;
    if (c.contype === 'p') t.primaryKey = c.cols;
    else if (c.contype === 'u') t.unique.push(c.cols);
    else t.foreignKeys.push(`${c.cols} -> ${c.ref_table}(${c.ref_cols}) on delete ${deleteActions[c.confdeltype]}`);
  }
  const indexes = await client.query<{ table_name: string; index_name: string; cols: string; unique: boolean; partial: boolean }>(
    `SELECT t.relname AS table_name, i.relname AS index_name,
            (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, n)
               JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum) AS cols,
            x.indisunique AS unique, x.indpred IS NOT NULL AS partial
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relnamespace = current_schema()::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
  );
  for (const i of indexes.rows) {
    shape[i.table_name]?.indexes.push(`${i.index_name}(${i.cols})${i.unique ? ' unique' : ''}${i.partial ? ' partial' : ''}`);
  }
  for (const t of Object.values(shape)) {
    t.unique.sort();
    t.foreignKeys.sort();
    t.indexes.sort();
  }
  return shape;
}
