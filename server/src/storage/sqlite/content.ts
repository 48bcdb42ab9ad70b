/**
 * Document content (update log + snapshot). Reads run on this thread; appends and
 * compactions on the writer thread, which has its own connection (see contentWorker.ts),
 * so that waiting for the disk never stalls the main thread. The SQL is in contentSql.ts.
 */
import type { DocumentContentRepository } from '../port.js';
import { ContentWriter } from './contentWriter.js';
import { contentSql } from './contentSql.js';
import type { Connection } from './util.js';

export interface SqliteContent {
  readonly content: DocumentContentRepository;
  /** Finishes what was sent to the writer thread and stops it. */
  close(): Promise<void>;
}

/** `file` is the database file, opened again by the writer thread. */
export function sqliteContent({ db }: Connection, file: string): SqliteContent {
  const sql = contentSql(db);
  const writer = new ContentWriter(file);
  return {
    content: {
      append: (batch, at) => writer.append(batch, at),
      async load(docId) {
        return sql.load(docId);
      },
      async countUpdates(docId) {
        return sql.countUpdates(docId);
      },
      compact: (docId) => writer.compact(docId),
    },
    close: () => writer.close(),
  };
}
