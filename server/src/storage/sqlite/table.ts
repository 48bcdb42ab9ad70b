/**
 * One declarative column list per table, from which the row → record mapper, the INSERT
 * and the partial UPDATE (patch) are derived, so a column added to a table is added in
 * one place:
 *
 *   const DOCUMENTS = table<DocumentRecord>('documents', {
 *     id: text,
 *     workspaceId: text('workspace_id'),
 *     template: text<DocumentTemplate>(),
 *     archived: boolean,
 *     updatedBy: text.nullable('updated_by'),
 *     …
 *   });
 *
 * The list is checked against the record type both ways: every field needs a column, and
 * a column's type must fit the field exactly (a nullable field needs `.nullable`, a union
 * of strings needs `text<Union>()`). A column is named after its field unless given a name.
 * SQL that is more than a plain insert, select or patch stays hand-written next to it.
 */
import type { RunResult } from 'better-sqlite3';
import type { Row, Statements } from './util.js';

/** What better-sqlite3 binds for our columns. */
export type SqlValue = string | number | bigint | Buffer | null;
export type Params = Record<string, SqlValue>;

/** How one field is written to and read from its column. */
export interface Column<T> {
  /** The column's name; the field's when undefined. */
  readonly column: string | undefined;
  readonly encode: (value: T) => SqlValue;
  readonly decode: (value: unknown) => T;
}

/**
 * A column type: usable as it is (the column is named after the field), called for a
 * named column or a narrower type (`text('workspace_id')`, `text<Role>()`), or made
 * nullable (`text.nullable('resolved_at')`: NULL ↔ null).
 */
export interface ColumnType<T> extends Column<T> {
  <U extends T = T>(column?: string): Column<U>;
  readonly nullable: ColumnType<T | null>;
}

function columnType<T>(encode: (value: T) => SqlValue, decode: (value: unknown) => T): ColumnType<T> {
  const named = <U extends T>(column?: string): Column<U> => ({
    column,
    encode: encode as (value: U) => SqlValue,
    decode: decode as (value: unknown) => U,
  });
  let nullable: ColumnType<T | null> | undefined;
  return Object.defineProperties(named, {
    column: { value: undefined },
    encode: { value: encode },
    decode: { value: decode },
    nullable: {
      get: () =>
        (nullable ??= columnType<T | null>(
          (value) => (value === null ? null : encode(value)),
          (value) => (value === null ? null : decode(value)),
        )),
    },
  }) as ColumnType<T>;
}

/** TEXT ↔ string (or a union of strings: `text<Role>()`). */
export const text: ColumnType<string> = columnType(
  (value) => value,
  (value) => String(value),
);

/** INTEGER ↔ number. */
export const integer: ColumnType<number> = columnType(
  (value) => value,
  (value) => Number(value),
);

/** INTEGER 0/1 ↔ boolean. */
export const boolean: ColumnType<boolean> = columnType(
  (value) => (value ? 1 : 0),
  (value) => value === 1,
);

/** TEXT holding JSON ↔ the parsed value; give its type: `json<AgendaItem[]>()`. */
export const json: ColumnType<unknown> = columnType(
  (value) => JSON.stringify(value),
  (value) => JSON.parse(String(value)) as unknown,
);

/** One column per field of the record, each of exactly the field's type. */
export type Columns<R> = { [K in keyof R]-?: Column<R[K]> };

export interface Table<R> {
  readonly name: string;
  /** Column names in declaration order. */
  readonly columns: readonly string[];
  /** `INSERT INTO <table> (<columns>) VALUES (@<field>, …)`, bound with {@link Table.params}. */
  readonly insertSql: string;
  /** The record as the named parameters of {@link Table.insertSql}. */
  params(record: R): Params;
  /** A row holding (at least) every listed column as the record. */
  record(row: Row): R;
  /**
   * `UPDATE <table> SET <column> = @<field>, … WHERE <key columns> = …` for the fields
   * present in `changes` (undefined ones are skipped, as are the key's own fields), with
   * its parameters; null when there is nothing to change. The SQL text depends only on
   * which fields are present, so a statement cache keeps each variant prepared.
   */
  patchSql(key: Partial<R>, changes: Partial<R>): { sql: string; params: Params } | null;
  /** The same operations on one connection, through its statement cache. */
  on(statement: Statements): TableStatements<R>;
}

export interface TableStatements<R> {
  /** Inserts the record; `conflict` is appended as it is (`ON CONFLICT (…) DO …`). */
  insert(record: R, conflict?: string): RunResult;
  /** Runs a `SELECT *` (or any select of all columns) and maps its first row. */
  get(sql: string, ...params: unknown[]): R | null;
  /** Runs a `SELECT *` (or any select of all columns) and maps every row. */
  all(sql: string, ...params: unknown[]): R[];
  /** Applies {@link Table.patchSql}; returns the number of rows changed (0: nothing to change). */
  patch(key: Partial<R>, changes: Partial<R>): number;
}

/** Declares a table by its record type and one column per field (see the top of this file). */
export function table<R>(name: string, spec: Columns<R>): Table<R> {
  const fields = (Object.keys(spec) as (keyof R & string)[]).map((field) => {
    const column = spec[field] as Column<unknown>;
    return { field, column: column.column ?? field, encode: column.encode, decode: column.decode };
  });
  const byField = new Map(fields.map((entry) => [entry.field as string, entry]));
  const insertSql = `INSERT INTO ${name} (${fields.map((f) => f.column).join(', ')}) VALUES (${fields.map((f) => `@${f.field}`).join(', ')})`;

  const self: Table<R> = {
    name,
    columns: fields.map((f) => f.column),
    insertSql,
    params(record) {
      const params: Params = {};
      for (const { field, encode } of fields) params[field] = encode(record[field]);
      return params;
    },
    record(row) {
      const record: Record<string, unknown> = {};
      for (const { field, column, decode } of fields) record[field] = decode(row[column]);
      return record as R;
    },
    patchSql(key, changes) {
      const where: string[] = [];
      const params: Params = {};
      for (const [field, value] of Object.entries(key)) {
        const entry = byField.get(field);
        if (!entry) throw new Error(`${name}.${field} is not a column`);
        // Key parameters get a prefix so that they cannot collide with a changed field's.
        where.push(`${entry.column} = @key_${field}`);
        params[`key_${field}`] = entry.encode(value);
      }
      if (where.length === 0) throw new Error(`A patch of ${name} needs a key`);
      const set: string[] = [];
      for (const [field, value] of Object.entries(changes)) {
        const entry = byField.get(field);
        if (!entry || value === undefined || field in key) continue;
        set.push(`${entry.column} = @${field}`);
        params[field] = entry.encode(value);
      }
      if (set.length === 0) return null;
      return { sql: `UPDATE ${name} SET ${set.join(', ')} WHERE ${where.join(' AND ')}`, params };
    },
    on(statement) {
      return {
        insert(record, conflict) {
          return statement(conflict ? `${insertSql} ${conflict}` : insertSql).run(self.params(record));
        },
        get(sql, ...params) {
          const row = statement(sql).get(...params) as Row | undefined;
          return row ? self.record(row) : null;
        },
        all(sql, ...params) {
          return (statement(sql).all(...params) as Row[]).map((row) => self.record(row));
        },
        patch(key, changes) {
          const patch = self.patchSql(key, changes);
          return patch ? statement(patch.sql).run(patch.params).changes : 0;
        },
      };
    },
  };
  return self;
}
