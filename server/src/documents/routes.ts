/** Draft documents: list, create from a template, rename, archive. Content goes through collab/. */
import { Router } from 'express';
import {
  buildTemplateUpdate,
  CreateDocumentRequestSchema,
  IdSchema,
  UpdateDocumentRequestSchema,
  type Actor,
  type DocumentChangedResponse,
  type DocumentMeta,
  type DocumentResponse,
  type DocumentsResponse,
} from '@jane/shared';
import type { AppContext } from '../context.js';
import { requireUser } from '../auth/requestUser.js';
import type { DocumentRecord } from '../storage/port.js';
import { parseOrThrow } from '../validation.js';
import { authorize, requireDocumentAccess, requireWorkspaceAccess } from '../policies/authorize.js';
import { createDocument, presentDocuments } from './create.js';

export function documentRoutes(ctx: AppContext): Router {
  const router = Router();
  const { store } = ctx;

  const present = (records: DocumentRecord[], actor: Actor): Promise<DocumentMeta[]> => presentDocuments(store, records, actor);
  /** One record presented (presentDocuments answers one entry per record). */
  const presentOne = async (record: DocumentRecord, actor: Actor): Promise<DocumentMeta> => (await present([record], actor))[0]!;

  router.get('/workspaces/:workspaceId/documents', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const { actor } = await requireWorkspaceAccess(store, user, workspaceId);
    res.json({ documents: await present(await store.documents.listForWorkspace(workspaceId), actor) } satisfies DocumentsResponse);
  });

  router.post('/workspaces/:workspaceId/documents', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const body = parseOrThrow(CreateDocumentRequestSchema, req.body);
    const { actor } = await requireWorkspaceAccess(store, user, workspaceId);
    authorize(actor, 'workspace.createDocument');
    const document = await createDocument(store, ctx.liveDocuments, user.id, { workspaceId, title: body.title, template: body.template }, buildTemplateUpdate(body.template, body.title));
    const meta = await presentOne(document, actor);
    res.status(201).json({ document: meta } satisfies DocumentChangedResponse);
  });

  router.get('/documents/:documentId', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const access = await requireDocumentAccess(store, user, documentId);
    const meta = await presentOne(access.document, access.actor);
    res.json({ document: meta, workspace: access.workspace, myRole: access.role, canEdit: access.canEdit } satisfies DocumentResponse);
  });

  router.patch('/documents/:documentId', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const body = parseOrThrow(UpdateDocumentRequestSchema, req.body);
    const access = await requireDocumentAccess(store, user, documentId);
    const archiving = body.archived !== undefined && body.archived !== access.document.archived;
    if (archiving) authorize(access.actor, 'document.archive', access.document);
    if (body.title !== undefined && body.title !== access.document.title) authorize(access.actor, 'document.rename', access.document);
    const updated = await store.documents.update(documentId, body);
    if (archiving) ctx.accessEvents.emit('documentChanged', { documentId });
    const meta = await presentOne(updated!, access.actor);
    res.json({ document: meta } satisfies DocumentChangedResponse);
  });

  return router;
}
