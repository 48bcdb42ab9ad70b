/** Version history over REST: list and name versions, the changes between two points, restore. */
import { Router } from 'express';
import { z } from 'zod';
import { CreateVersionRequestSchema, IdSchema, RestoreVersionRequestSchema, type ChangesResponse, type RestoreResponse, type VersionResponse, type VersionsResponse } from '@jane/shared';
import { requireUser } from '../auth/requestUser.js';
import { parseOrThrow } from '../validation.js';
import type { HistoryService } from './service.js';

const FromSchema = z.union([z.literal('last-visit'), z.literal('start'), IdSchema]);
const ToSchema = z.union([z.literal('current'), IdSchema]);

export function historyRoutes(history: HistoryService): Router {
  const router = Router();

  router.get('/documents/:documentId/versions', async (req, res) => {
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    res.json({ versions: await history.list(requireUser(req), documentId) } satisfies VersionsResponse);
  });

  router.post('/documents/:documentId/versions', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const body = parseOrThrow(CreateVersionRequestSchema, req.body, 'version');
    res.status(201).json({ version: await history.createNamed(user, documentId, body.name, body.note ?? null) } satisfies VersionResponse);
  });

  router.get('/documents/:documentId/changes', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const from = parseOrThrow(FromSchema, req.query.from ?? 'last-visit', '“from” (a version id, last-visit or start)');
    const to = parseOrThrow(ToSchema, req.query.to ?? 'current', '“to” (a version id or current)');
    const answer: ChangesResponse = await history.changes(user, documentId, from, to);
    res.json(answer);
  });

  router.post('/documents/:documentId/versions/:versionId/restore', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const versionId = parseOrThrow(IdSchema, req.params.versionId, 'version id');
    const body = parseOrThrow(RestoreVersionRequestSchema, req.body ?? {}, 'restore');
    res.json((await history.restore(user, documentId, versionId, body.sectionId)) satisfies RestoreResponse);
  });

  return router;
}
