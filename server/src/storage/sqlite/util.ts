import type Database from 'better-sqlite3';

export type Row = Record<string, unknown>;

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT');
}

/** Builds a `SET a = @a, b = @b` clause from a patch, mapping camelCase to columns. */
export function setClause(patch: Record<string, unknown>, columns: Record<string, string>): { sql: string; values: Row } {
  const parts: string[] = [];
  const values: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    const column = columns[key];
    if (!column || value === undefined) continue;
    parts.push(`${column} = @${key}`);
    values[key] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  return { sql: parts.join(', '), values };
}


/**
 * Prepares each distinct SQL text once per connection (preparing costs more than running
 * a small query); the cache stays small because our SQL texts are a fixed set.
 */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
}
