/** Sections over REST: the list with owners, status and abilities; changing owner or status; the activity; progress per workspace; the home page's. */
import { Router } from 'express';
import {
  IdSchema,
  UpdateSectionRequestSchema,
  type MySectionsResponse,
  type SectionActivityResponse,
  type SectionProgressResponse,
  type SectionResponse,
  type SectionsResponse,
} from '@jane/shared';
import { requireUser } from '../auth/requestUser.js';
import { parseOrThrow } from '../validation.js';
import type { SectionService } from './service.js';

export function sectionRoutes(sections: SectionService): Router {
  const router = Router();

  router.get('/documents/:documentId/sections', async (req, res) => {
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    res.json({ sections: await sections.list(requireUser(req), documentId) } satisfies SectionsResponse);
  });

  router.get('/workspaces/:workspaceId/sections/progress', async (req, res) => {
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    res.json({ documents: await sections.workspaceProgress(requireUser(req), workspaceId) } satisfies SectionProgressResponse);
  });

  router.get('/me/sections', async (req, res) => {
    const answer: MySectionsResponse = await sections.mine(requireUser(req));
    res.json(answer);
  });

  router.patch('/documents/:documentId/sections/:sectionId', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const sectionId = parseOrThrow(IdSchema, req.params.sectionId, 'section id');
    const body = parseOrThrow(UpdateSectionRequestSchema, req.body, 'section change');
    res.json({ section: await sections.update(user, documentId, sectionId, body) } satisfies SectionResponse);
  });

  router.get('/documents/:documentId/sections/:sectionId/activity', async (req, res) => {
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const sectionId = parseOrThrow(IdSchema, req.params.sectionId, 'section id');
    res.json({ activity: await sections.activity(requireUser(req), documentId, sectionId) } satisfies SectionActivityResponse);
  });

  return router;
}
