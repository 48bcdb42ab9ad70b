import { z } from 'zod';
import { SECTION_STATUSES, type SectionStatus } from '../domain/sections.js';
import type { SectionAbilities } from '../policy/policy.js';
import { IdSchema } from './api.js';

/** A section as the document holds it now, with what the store knows about it. */
export interface SectionView {
  id: string;
  title: string;
  level: number;
  ownerId: string | null;
  status: SectionStatus;
  /** When its owner or status last changed (null: never). */
  updatedAt: string | null;
  updatedBy: string | null;
  abilities: SectionAbilities;
}

/** A section still to be agreed, as lists show it (its owner by name). */
export interface OpenSectionView {
  id: string;
  title: string;
  status: SectionStatus;
  owner: { id: string; name: string; country: string } | null;
}

/** How far a document's review has come: `agreed` of `total` sections, and who owns what is still open. */
export interface SectionProgressView {
  documentId: string;
  total: number;
  agreed: number;
  inReview: number;
  /** Sections not agreed yet, in document order. */
  open: OpenSectionView[];
}

/** A section on someone's home page: where it is and how it stands. */
export interface MySectionView extends OpenSectionView {
  workspaceId: string;
  workspaceTitle: string;
  documentId: string;
  documentTitle: string;
  updatedAt: string | null;
}

/** One change of a section's owner or status, for its activity. */
export interface SectionEventView {
  kind: 'owner' | 'status';
  from: string | null;
  to: string | null;
  at: string;
  by: { id: string; name: string; country: string };
}

export const UpdateSectionRequestSchema = z
  .strictObject({
    status: z.enum(SECTION_STATUSES).optional(),
    ownerId: IdSchema.nullable().optional(),
  })
  .refine((body) => body.status !== undefined || body.ownerId !== undefined, { message: 'Nothing to change: give a status or an owner' });
export type UpdateSectionRequest = z.input<typeof UpdateSectionRequestSchema>;
