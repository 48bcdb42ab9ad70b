/**
 * Comment threads of a document for an export: each with its comments (authors' names
 * and countries, mentions written as names), its passage as offsets into the exported
 * text, under its section's current title; in document order, orphans at the end.
 */
import * as Y from 'yjs';
import { MENTION_PATTERN, documentSections } from '@jane/shared';
import type { CommentRecord, Store, ThreadRecord, UserRecord } from '../../storage/port.js';
import { indexText, passageRange } from './anchors.js';
import type { ExportPerson, ExportThread } from './model.js';

const person = (users: Map<string, UserRecord>, id: string): ExportPerson => {
  const user = users.get(id);
  return user ? { name: user.name, country: user.country } : { name: 'Former member', country: '' };
};

/** Threads and comments as the export shows them, from records already loaded. */
export function exportThreads(doc: Y.Doc, threads: readonly ThreadRecord[], comments: readonly CommentRecord[], users: Map<string, UserRecord>): ExportThread[] {
  const index = indexText(doc);
  const titles = new Map(documentSections(doc).flatMap((s) => (s.id ? [[s.id, s.title] as const] : [])));
  const byThread = new Map<string, CommentRecord[]>();
  for (const comment of comments) byThread.set(comment.threadId, [...(byThread.get(comment.threadId) ?? []), comment]);
  const withMentions = (body: string) => body.replace(MENTION_PATTERN, (_, id: string) => `@${users.get(id)?.name ?? 'someone'}`);
  const exported = threads.map((thread, order): ExportThread & { order: number } => ({
    order,
    id: thread.id,
    kind: thread.anchor.kind,
    sectionId: thread.sectionId,
    sectionTitle: (thread.sectionId ? titles.get(thread.sectionId) : undefined) ?? thread.sectionTitle,
    quote: thread.anchor.quote,
    range: passageRange(doc, index, thread),
    comments: (byThread.get(thread.id) ?? [])
      .slice()
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((comment) => ({ author: person(users, comment.authorId), createdAt: comment.createdAt, body: comment.deletedAt ? '' : withMentions(comment.body), deleted: comment.deletedAt !== null })),
    resolvedAt: thread.resolvedAt,
    resolvedBy: thread.resolvedBy ? person(users, thread.resolvedBy) : null,
  }));
  exported.sort((a, b) => {
    if (a.range && b.range) return a.range.start - b.range.start || a.range.end - b.range.end || a.order - b.order;
    if (a.range || b.range) return a.range ? -1 : 1;
    return a.order - b.order;
  });
  return exported.map(({ order: _order, ...thread }) => thread);
}

/** Loads a document's threads with their comments and people, for {@link exportThreads}. */
export async function loadThreads(store: Store, documentId: string, doc: Y.Doc): Promise<ExportThread[]> {
  const threads = (await store.threads.listForDocument(documentId)).slice().sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (threads.length === 0) return [];
  const comments = await store.threads.listComments(threads.map((t) => t.id));
  const ids = new Set<string>();
  for (const thread of threads) if (thread.resolvedBy) ids.add(thread.resolvedBy);
  for (const comment of comments) {
    ids.add(comment.authorId);
    comment.mentions.forEach((id) => ids.add(id));
  }
  const users = new Map((await store.users.findManyByIds([...ids])).map((u) => [u.id, u]));
  return exportThreads(doc, threads, comments, users);
}
