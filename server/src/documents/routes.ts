/** Draft documents: list, create from a template, rename, archive. Content goes through collab/. */
import { Router } from 'express';
import * as Y from 'yjs';
import {
  buildTemplateUpdate,
  CreateDocumentRequestSchema,
  IdSchema,
  UpdateDocumentRequestSchema,
  documentAbilities,
  type Actor,
  type DocumentMeta,
} from '@jane/shared';
import type { AppContext } from '../context.js';
import { newId } from '../ids.js';
import { requireUser } from '../auth/requestUser.js';
import type { DocumentRecord } from '../storage/port.js';
import { parseOrThrow } from '../validation.js';
import { authorize, requireDocumentAccess, requireWorkspaceAccess } from '../policies/authorize.js';

export function documentRoutes(ctx: AppContext): Router {
  const router = Router();
  const { store } = ctx;

  /** Documents as `actor` sees them, with what they may do with each. */
  async function present(records: DocumentRecord[], actor: Actor): Promise<DocumentMeta[]> {
    const editorIds = [...new Set(records.map((r) => r.updatedBy).filter((id): id is string => id !== null))];
    const names = new Map((await store.users.findManyByIds(editorIds)).map((u) => [u.id, u.name]));
    return records.map(({ updatedBy, ...rest }) => ({
      ...rest,
      updatedByName: updatedBy ? (names.get(updatedBy) ?? null) : null,
      abilities: documentAbilities(actor, rest),
    }));
  }

  router.get('/workspaces/:workspaceId/documents', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const { actor } = await requireWorkspaceAccess(store, user, workspaceId);
    res.json({ documents: await present(await store.documents.listForWorkspace(workspaceId), actor) });
  });

  router.post('/workspaces/:workspaceId/documents', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const body = parseOrThrow(CreateDocumentRequestSchema, req.body);
    const { actor } = await requireWorkspaceAccess(store, user, workspaceId);
    authorize(actor, 'workspace.createDocument');
    const now = new Date().toISOString();
    const document: DocumentRecord = {
      id: newId(),
      workspaceId,
      title: body.title,
      template: body.template,
      archived: false,
      createdAt: now,
      createdBy: user.id,
      updatedAt: now,
      updatedBy: user.id,
    };
    // Content first, through the write path: a document row never exists without its starting content.
    await ctx.liveDocuments.change(document.id, user.id, (doc) => Y.applyUpdate(doc, buildTemplateUpdate(body.template, body.title)));
    await store.documents.create(document);
    const [meta] = await present([document], actor);
    res.status(201).json({ document: meta });
  });

  router.get('/documents/:documentId', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const access = await requireDocumentAccess(store, user, documentId);
    const [meta] = await present([access.document], access.actor);
    res.json({ document: meta, workspace: access.workspace, myRole: access.role, canEdit: access.canEdit });
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
    const [meta] = await present([updated!], access.actor);
    res.json({ document: meta });
  });

  return router;
}
