/**
 * Export over REST: the document as DOCX, HTML or Markdown (the saved state, or a
 * version's), and the comment-resolution matrix as DOCX or CSV. Every member may export,
 * observers included: it is reading.
 */
import { Router, type Response } from 'express';
import * as Y from 'yjs';
import { z } from 'zod';
import { IdSchema } from '@jane/shared';
import { requireUser } from '../../auth/requestUser.js';
import { NotFoundError } from '../../errors.js';
import { requireDocumentAccess, type DocumentAccess } from '../../policies/authorize.js';
import { docFromState } from '../../storage/docState.js';
import type { Store } from '../../storage/port.js';
import { parseOrThrow } from '../../validation.js';
import {
  contentDisposition,
  EXPORT_FORMATS,
  exportCommentMatrix,
  exportDocument,
  loadThreads,
  personLabel,
  unicodeFileName,
  type ExportedFile,
  type ExportMeta,
  type SectionInfo,
} from './index.js';

const Flag = z.enum(['0', '1', 'true', 'false']).optional().transform((value) => value === '1' || value === 'true');

const ExportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS, { message: 'format must be docx, html or md' }),
  version: IdSchema.optional(),
  comments: Flag,
  status: Flag,
});

const MatrixQuerySchema = z.object({
  format: z.enum(['docx', 'csv'], { message: 'format must be docx or csv' }),
  version: IdSchema.optional(),
});

/** The document's content (a version's, or the saved draft) and the facts for its title page. */
async function exportedContent(store: Store, access: DocumentAccess, versionId: string | undefined): Promise<{ doc: Y.Doc; meta: ExportMeta }> {
  const base = { workspaceTitle: access.workspace.title, documentTitle: access.document.title };
  if (!versionId) {
    return { doc: docFromState(await store.content.load(access.document.id)), meta: { ...base, versionName: null, date: new Date() } };
  }
  const [version, state] = await Promise.all([store.versions.find(access.document.id, versionId), store.versions.state(access.document.id, versionId)]);
  if (!version || !state) throw new NotFoundError('This version does not exist.');
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, state);
  return { doc, meta: { ...base, versionName: version.name, date: new Date(version.createdAt) } };
}

async function sectionInfo(store: Store, documentId: string): Promise<Map<string, SectionInfo>> {
  const records = await store.sections.listForDocument(documentId);
  const owners = new Map((await store.users.findManyByIds([...new Set(records.flatMap((r) => (r.ownerId ? [r.ownerId] : [])))])).map((u) => [u.id, u]));
  return new Map(
    records.map((record) => {
      const owner = record.ownerId ? owners.get(record.ownerId) : undefined;
      return [record.sectionId, { status: record.status, owner: record.ownerId ? (owner ? personLabel(owner) : 'Former member') : null }];
    }),
  );
}

function send(res: Response, file: ExportedFile, unicodeName: string): void {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', contentDisposition(file.fileName, unicodeName));
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Opened in a browser, an HTML export runs nothing and loads nothing.
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  res.send(file.body);
}

export function exportRoutes(store: Store): Router {
  const router = Router();

  router.get('/documents/:documentId/export', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const query = parseOrThrow(ExportQuerySchema, req.query, 'export');
    const access = await requireDocumentAccess(store, user, documentId);
    const { doc, meta } = await exportedContent(store, access, query.version);
    try {
      const [sections, threads] = await Promise.all([
        query.status ? sectionInfo(store, documentId) : undefined,
        query.comments && query.format === 'docx' ? loadThreads(store, documentId, doc) : undefined,
      ]);
      const file = await exportDocument(doc, meta, query.format, { comments: query.comments, status: query.status }, { sections, threads });
      send(res, file, unicodeFileName(meta, query.format));
    } finally {
      doc.destroy();
    }
  });

  router.get('/documents/:documentId/comment-matrix', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const query = parseOrThrow(MatrixQuerySchema, req.query, 'comment matrix');
    const access = await requireDocumentAccess(store, user, documentId);
    const { doc, meta } = await exportedContent(store, access, query.version);
    try {
      const threads = await loadThreads(store, documentId, doc);
      const file = await exportCommentMatrix(meta, threads, query.format);
      send(res, file, unicodeFileName(meta, query.format, 'comments'));
    } finally {
      doc.destroy();
    }
  });

  return router;
}
