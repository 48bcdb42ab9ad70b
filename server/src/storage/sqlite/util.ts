import type Database from 'better-sqlite3';

export type Row = Record<string, unknown>;

/** Prepares a SQL text, or returns it already prepared (see {@link statementCache}). */
export type Statements = (sql: string) => Database.Statement;

/** What every repository of the embedded store is built from: the connection and its statements. */
export interface Connection {
  readonly db: Database.Database;
  readonly statement: Statements;
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT');
}

/**
 * Prepares each distinct SQL text once per connection (preparing costs more than running
 * a small query); the cache stays small because our SQL texts are a fixed set.
 */
export function statementCache(db: Database.Database): Statements {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
}
