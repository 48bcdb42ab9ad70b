/** Version history: versions, the changes between two points, restore — the API's shapes. */
import { z } from 'zod';
import { IdSchema } from './api.js';

export type VersionKind = 'auto' | 'named' | 'meeting' | 'restore';

/** A person as history names them. */
export interface HistoryPerson {
  userId: string;
  name: string;
  country: string;
}

export interface VersionView {
  id: string;
  name: string;
  note: string | null;
  kind: VersionKind;
  createdAt: string;
  /** Who named it or restored (null: made automatically, or by the server). */
  createdBy: HistoryPerson | null;
  /** Whose changes it holds since the version before it. */
  authors: HistoryPerson[];
  /** The meeting it was taken at ("Before meeting …", "After meeting …"). */
  meetingId: string | null;
}

/** One run of text inserted or deleted, and by whom (the account that sent it, as the server authenticated it). */
export interface ChangedText {
  text: string;
  userId: string;
}

/** A piece of a changed block, in document order: unchanged, or inserted/deleted by someone. */
export interface ChangeSegment {
  text: string;
  change: 'inserted' | 'deleted' | null;
  userId: string | null;
}

/** A block of a changed section as it reads with the changes marked. */
export interface ChangedBlock {
  /** The block's node type (heading, paragraph, listItem, tableCell, …) and heading level. */
  type: string;
  level: number | null;
  segments: ChangeSegment[];
}

export interface SectionChangesView {
  /** The section's id (null: text before the first heading). */
  sectionId: string | null;
  title: string;
  inserted: ChangedText[];
  deleted: ChangedText[];
  /** The section's blocks that changed, with the changes inline. */
  blocks: ChangedBlock[];
}

export interface ChangesView {
  /** Only sections with a change, in document order. */
  sections: SectionChangesView[];
  /** Everyone named by `userId` above. */
  people: HistoryPerson[];
  /** What was compared: the `from` and `to` points as resolved (a version id, `last-visit` or `start`, and `current`). */
  from: { kind: 'version' | 'last-visit' | 'start'; versionId: string | null; at: string | null };
  to: { kind: 'version' | 'current'; versionId: string | null };
}

export const CreateVersionRequestSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'Give the version a name')
    .max(200)
    .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'The name must be one line of text'),
  note: z.string().trim().max(2000).nullable().optional(),
});
export type CreateVersionRequest = z.input<typeof CreateVersionRequestSchema>;

export const RestoreVersionRequestSchema = z.strictObject({
  sectionId: IdSchema.optional(),
});
export type RestoreVersionRequest = z.input<typeof RestoreVersionRequestSchema>;
