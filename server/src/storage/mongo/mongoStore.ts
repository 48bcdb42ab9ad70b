/**
 * The production store: MongoDB through the official driver. Every write uses
 * `w: 'majority', j: true`, so "saved" means acknowledged by a majority, on disk.
 *
 * One file per repository; each collection's records, `_id` and internal fields are
 * declared once there (see records.ts). Document content: content.ts.
 */
import { MongoClient, type Db } from 'mongodb';
import type { Store } from '../port.js';
import { mongoContent } from './content.js';
import { mongoDocuments } from './documents.js';
import { mongoHistory } from './history.js';
import { mongoInvitations } from './invitations.js';
import { mongoMeetings } from './meetings.js';
import { mongoMemberships } from './memberships.js';
import { mongoNotifications } from './notifications.js';
import { mongoSections } from './sections.js';
import { mongoSessions } from './sessions.js';
import { mongoThreads } from './threads.js';
import { mongoUsers } from './users.js';
import { mongoVersions } from './versions.js';
import { mongoVisits } from './visits.js';
import { mongoWorkspaces } from './workspaces.js';

export { SNAPSHOT_CHUNK_BYTES } from './content.js';

export interface MongoStoreOptions {
  uri: string;
  /** Database name; default: the one in the URI, else `jane`. */
  dbName?: string;
}

export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  const client = new MongoClient(options.uri, {
    writeConcern: { w: 'majority', journal: true },
    serverSelectionTimeoutMS: 10_000,
  });
  await client.connect();
  const db: Db = client.db(options.dbName);

  // Each repository creates its indexes before it is used.
  const repositories = Promise.all([
    mongoUsers(db),
    mongoSessions(db),
    mongoInvitations(db),
    mongoWorkspaces(db),
    mongoMemberships(db),
    mongoDocuments(db),
    mongoContent(db),
    mongoMeetings(db),
    mongoThreads(db),
    mongoNotifications(db),
    mongoSections(db),
    mongoHistory(db),
    mongoVersions(db),
    mongoVisits(db),
  ]);
  const [users, sessions, invitations, workspaces, memberships, documents, content, meetings, threads, notifications, sections, history, versions, visits] =
    await repositories.catch(async (error: unknown) => {
      await client.close();
      throw error;
    });

  return {
    kind: 'mongo',
    users,
    sessions,
    invitations,
    workspaces,
    memberships,
    documents,
    content,
    meetings,
    threads,
    notifications,
    sections,
    history,
    versions,
    visits,
    async ping() {
      await db.command({ ping: 1 });
    },
    async close() {
      await client.close();
    },
  };
}
