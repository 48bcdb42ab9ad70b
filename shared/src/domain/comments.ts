/** Comment thread constants shared by client and server (zod-free). */
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

export const ANCHOR_KINDS = ['section', 'text'] as const;

export const THREAD_STATUSES = ['open', 'resolved'] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

/**
 * `mention`, `reply`: about a comment; `section-review`: a section went to review (to the
 * chairs); `section-agreed`, `section-reopened`, `section-comment`: about a section, to its owner.
 */
export const NOTIFICATION_KINDS = ['mention', 'reply', 'section-review', 'section-agreed', 'section-reopened', 'section-comment'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
