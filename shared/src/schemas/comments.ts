/**
 * Comment threads, anchored to a section heading or a passage of a draft, and the
 * notifications they cause. Threads live in the store, not in the Yjs document, so a
 * document writer can neither forge nor erase them.
 */
import { z } from 'zod';

/** Longest comment body, in characters (enforced on the server). */
export const MAX_COMMENT_LENGTH = 5000;
export const MAX_QUOTE_LENGTH = 2000;

/**
 * Mentions are stored in the body as `@[<userId>]` and shown as `@Name`; a token for
 * someone who is not a member of the workspace is shown as plain text.
 */
export const MENTION_PATTERN = /@\[([A-Za-z0-9_-]{1,64})\]/g;

/** The ids mentioned in a body, each once, in order of appearance. */
export function mentionedIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION_PATTERN)].map((match) => match[1]!))];
}

/** Encoded `Y.RelativePosition` (base64), as produced by `Y.encodeRelativePosition`. */
const RelativePositionSchema = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Malformed position').max(2048);

export const ANCHOR_KINDS = ['section', 'text'] as const;
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
  /** Title of the section the thread belongs to (the heading above the passage). */
  sectionTitle: z.string().trim().max(300).nullable(),
  body: BodySchema,
});
export type CreateThreadRequest = z.input<typeof CreateThreadRequestSchema>;

export const CommentBodyRequestSchema = z.strictObject({ body: BodySchema });
export type CommentBodyRequest = z.input<typeof CommentBodyRequestSchema>;

export const THREAD_STATUSES = ['open', 'resolved'] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

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

export const NOTIFICATION_KINDS = ['mention', 'reply'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  workspaceId: string;
  documentId: string;
  documentTitle: string;
  threadId: string;
  commentId: string;
  actor: PersonRef;
  /** The first characters of the comment, mention tokens replaced by names. */
  excerpt: string;
  createdAt: string;
  readAt: string | null;
}

export const MarkNotificationsReadRequestSchema = z.strictObject({
  /** Ids to mark read; omitted: all. */
  ids: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).max(500).optional(),
});
