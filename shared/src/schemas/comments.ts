/**
 * Comment threads, anchored to a section heading or a passage of a draft, and the
 * notifications they cause. Threads live in the store, not in the Yjs document, so a
 * document writer can neither forge nor erase them.
 */
import { z } from 'zod';
import { ANCHOR_KINDS, MAX_COMMENT_LENGTH, MAX_QUOTE_LENGTH, type NotificationKind, type ThreadStatus } from '../domain/comments.js';
import { IdSchema } from './api.js';

/** Encoded `Y.RelativePosition` (base64), as produced by `Y.encodeRelativePosition`. */
const RelativePositionSchema = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Malformed position').max(2048);

export const ThreadAnchorSchema = z.strictObject({
  /** `section`: the whole section under a heading (anchored to the heading's text); `text`: a passage. */
  kind: z.enum(ANCHOR_KINDS),
  start: RelativePositionSchema,
  end: RelativePositionSchema,
  /** The anchored text when the thread was started; shown if the passage is later deleted. */
  quote: z.string().max(MAX_QUOTE_LENGTH),
});
export type ThreadAnchor = z.infer<typeof ThreadAnchorSchema>;

const BodySchema = z
  .string()
  .max(MAX_COMMENT_LENGTH, `Keep comments under ${MAX_COMMENT_LENGTH} characters`)
  .refine((body) => body.trim().length > 0, { message: 'Write a comment first' });

export const CreateThreadRequestSchema = z.strictObject({
  anchor: ThreadAnchorSchema,
  /** The section the thread belongs to (the heading above the passage): its id … */
  sectionId: IdSchema.nullable().default(null),
  /** … and its title when the thread was started (a label; the current title is shown). */
  sectionTitle: z.string().trim().max(300).nullable(),
  body: BodySchema,
});
export type CreateThreadRequest = z.input<typeof CreateThreadRequestSchema>;

export const CommentBodyRequestSchema = z.strictObject({ body: BodySchema });
export type CommentBodyRequest = z.input<typeof CommentBodyRequestSchema>;


export interface PersonRef {
  id: string;
  name: string;
  country: string;
}

export interface CommentView {
  id: string;
  author: PersonRef;
  /** Empty when deleted. */
  body: string;
  /** Mentioned members (id → name) for rendering `@[id]` tokens. */
  mentions: PersonRef[];
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

export interface ThreadView {
  id: string;
  workspaceId: string;
  documentId: string;
  anchor: ThreadAnchor;
  sectionId: string | null;
  /** The section's current title (or, if it is gone, its title when the thread was started). */
  sectionTitle: string | null;
  status: ThreadStatus;
  createdBy: PersonRef;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: PersonRef | null;
  lastActivityAt: string;
  /** Comments in order; deleted ones only while later replies exist. */
  comments: CommentView[];
}

/** An entry of a workspace's "Open threads" view. */
export interface WorkspaceThread extends ThreadView {
  documentTitle: string;
}


export interface NotificationView {
  id: string;
  kind: NotificationKind;
  workspaceId: string;
  documentId: string;
  documentTitle: string;
  /** The thread and comment it is about (null for a section's status change). */
  threadId: string | null;
  commentId: string | null;
  /** The section it is about, by id, and its title when it happened (a label). */
  sectionId: string | null;
  sectionTitle: string | null;
  actor: PersonRef;
  /** The first characters of the comment, mention tokens replaced by names (a section's title for a status change). */
  excerpt: string;
  createdAt: string;
  readAt: string | null;
}

export const MarkNotificationsReadRequestSchema = z.strictObject({
  /** Ids to mark read; omitted: all. */
  ids: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).max(500).optional(),
});
