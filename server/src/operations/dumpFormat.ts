/**
 * The portable dump ("jane-dump", version 1): every record of every repository of the
 * storage port, one per line, in a gzip'd stream of JSON lines (Extended JSON, so bytes
 * are `{"$binary": …}`). Either adapter can be read into it and either adapter can be
 * written from it: it is the MongoDB backup format, the way a backup moves between stores,
 * and what `migrate:store` streams from SQLite to MongoDB.
 *
 *   line 1     {"format":"jane-dump","version":1,"source":"sqlite"|"mongo","createdAt":…}
 *   lines      {"kind":"users","record":{…}}   (kinds in DUMP_KINDS order)
 *   last line  {"end":true,"counts":{"users":3,…}}   (a dump without it is truncated)
 *
 * Document content is written folded: one Yjs update per document holding its snapshot
 * and its whole update log. History entries keep their cursor from the source store; a
 * writer for the other store maps them (and the cursors of versions and visits).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import { Binary, BSON } from 'mongodb';
import type {
  AttendeeRecord,
  CommentRecord,
  DocumentRecord,
  HistoryEntry,
  IntervalRecord,
  InvitationRecord,
  MeetingRecord,
  MembershipRecord,
  NotificationRecord,
  SectionEventRecord,
  SectionRecord,
  SessionRecord,
  ThreadRecord,
  UserRecord,
  VersionRecord,
  VisitRecord,
  WorkspaceRecord,
} from '../storage/port.js';

export const DUMP_FORMAT = 'jane-dump';
export const DUMP_VERSION = 1;

/**
 * The order records are read and written in. Content comes before history, and history
 * before versions and visits: a dump of a live store then holds every history entry its
 * content and its versions' cursors need (the live store writes history first, too).
 */
export const DUMP_KINDS = [
  'users',
  'sessions',
  'invitations',
  'workspaces',
  'memberships',
  'documents',
  'meetings',
  'attendees',
  'intervals',
  'threads',
  'comments',
  'notifications',
  'sections',
  'sectionEvents',
  'content',
  'history',
  'versions',
  'visits',
] as const;
export type DumpKind = (typeof DUMP_KINDS)[number];

/** A document's content: its snapshot and update log folded into one Yjs update. */
export interface ContentItem {
  docId: string;
  state: Uint8Array;
}

/** A version with the document's content at it. */
export interface VersionItem {
  record: VersionRecord;
  state: Uint8Array;
}

export interface DumpItems {
  users: UserRecord;
  sessions: SessionRecord;
  invitations: InvitationRecord;
  workspaces: WorkspaceRecord;
  memberships: MembershipRecord;
  documents: DocumentRecord;
  meetings: MeetingRecord;
  attendees: AttendeeRecord;
  intervals: IntervalRecord;
  threads: ThreadRecord;
  comments: CommentRecord;
  notifications: NotificationRecord;
  sections: SectionRecord;
  sectionEvents: SectionEventRecord;
  content: ContentItem;
  history: HistoryEntry;
  versions: VersionItem;
  visits: VisitRecord;
}

export type DumpEntry = { [K in DumpKind]: { kind: K; record: DumpItems[K] } }[DumpKind];
export type DumpCounts = Record<DumpKind, number>;

export interface DumpHeader {
  format: typeof DUMP_FORMAT;
  version: number;
  source: 'sqlite' | 'mongo';
  createdAt: string;
}

export function emptyCounts(): DumpCounts {
  return Object.fromEntries(DUMP_KINDS.map((kind) => [kind, 0])) as DumpCounts;
}

/** Bytes become BSON binaries (Extended JSON `$binary`) and back. */
function toBson(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Binary(value);
  if (Array.isArray(value)) return value.map(toBson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toBson(v)]));
  return value;
}

function fromBson(value: unknown): unknown {
  if (value instanceof Binary) return value.buffer.subarray(0, value.position);
  if (Array.isArray(value)) return value.map(fromBson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromBson(v)]));
  return value;
}

/** Writes a dump file from `entries` (in DUMP_KINDS order); resolves with the counts once the file is closed. */
export async function writeDumpFile(file: string, source: DumpHeader['source'], entries: AsyncIterable<DumpEntry>): Promise<DumpCounts> {
  const counts = emptyCounts();
  const gzip = createGzip();
  const out = fs.createWriteStream(file, { flags: 'wx' });
  const finished = new Promise<void>((resolve, reject) => {
    out.once('close', resolve);
    out.once('error', reject);
    gzip.once('error', reject);
  });
  gzip.pipe(out);
  const write = async (line: string) => {
    if (!gzip.write(line + '\n')) await once(gzip, 'drain');
  };
  const header: DumpHeader = { format: DUMP_FORMAT, version: DUMP_VERSION, source, createdAt: new Date().toISOString() };
  await write(JSON.stringify(header));
  for await (const entry of entries) {
    counts[entry.kind]++;
    await write(BSON.EJSON.stringify({ kind: entry.kind, record: toBson(entry.record) }));
  }
  await write(JSON.stringify({ end: true, counts }));
  gzip.end();
  await finished;
  return counts;
}

/** Whether the file starts like a gzip stream (a dump) rather than a SQLite database. */
export function isDumpFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    fs.readSync(fd, magic, 0, 2, 0);
    return magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a dump file: the header first (checked), then the entries. Throws at the end when
 * the closing line is missing or its counts differ from what was read (a truncated copy).
 */
export async function readDumpFile(file: string): Promise<{ header: DumpHeader; entries: AsyncIterable<DumpEntry> }> {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  const header = first.done ? null : (JSON.parse(first.value) as Partial<DumpHeader>);
  if (!header || header.format !== DUMP_FORMAT) throw new Error(`${file} is not a JANE dump (no "${DUMP_FORMAT}" header line).`);
  if (header.version !== DUMP_VERSION) throw new Error(`${file} is a version ${header.version} dump; this server reads version ${DUMP_VERSION}.`);
  async function* entries(): AsyncGenerator<DumpEntry> {
    const counts = emptyCounts();
    for (;;) {
      const next = await lines.next();
      if (next.done) throw new Error(`${file} ends before its closing line: the dump is incomplete.`);
      if (next.value.trim() === '') continue;
      const parsed = BSON.EJSON.parse(next.value) as { kind?: DumpKind; record?: unknown; end?: boolean; counts?: DumpCounts };
      if (parsed.end) {
        for (const kind of DUMP_KINDS) {
          if ((parsed.counts?.[kind] ?? 0) !== counts[kind]) throw new Error(`${file} announces ${parsed.counts?.[kind]} ${kind} but holds ${counts[kind]}.`);
        }
        return;
      }
      if (!parsed.kind || !DUMP_KINDS.includes(parsed.kind)) throw new Error(`${file} has a record of unknown kind ${String(parsed.kind)}.`);
      counts[parsed.kind]++;
      yield { kind: parsed.kind, record: fromBson(parsed.record) } as DumpEntry;
    }
  }
  return { header: header as DumpHeader, entries: entries() };
}
