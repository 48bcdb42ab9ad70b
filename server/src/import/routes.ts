/**
 * "New draft from file": POST /api/workspaces/:workspaceId/documents/import, multipart with
 * one file field `file` (a .docx or .md) and an optional `title`. Allowed to whoever may
 * create a document there (`workspace.createDocument`), checked before the upload is read;
 * the document is created with its content through the server write path (createDocument →
 * LiveDocuments.change), like a document from a template. Multipart bodies pass the JSON
 * parser untouched; the per-account REST budget applies as to any change.
 */
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { contentUpdate } from '@jane/shared/content';
import { CreateDocumentRequestSchema, IdSchema, type ImportDocumentResponse } from '@jane/shared';
import type { AppContext } from '../context.js';
import { requireUser } from '../auth/requestUser.js';
import { authorize, requireWorkspaceAccess } from '../policies/authorize.js';
import { createDocument, presentDocuments } from '../documents/create.js';
import { BadRequestError, TooManyRequestsError } from '../errors.js';
import { parseOrThrow } from '../validation.js';
import { importFile } from './importFile.js';
import { IMPORT_LIMITS, refusals } from './limits.js';

const upload = multer({
  storage: multer.memoryStorage(),
  defParamCharset: 'utf8',
  limits: { fileSize: IMPORT_LIMITS.fileBytes, files: 1, fields: 2, fieldNameSize: 100, fieldSize: 4 * IMPORT_LIMITS.titleChars, parts: 3, headerPairs: 50 },
}).single('file');

/** Reads the multipart body (after the permission check), with its limits worded for people. */
function receive(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    upload(req, res, (error: unknown) => {
      if (!error) return resolve();
      if (error instanceof multer.MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE') return reject(refusals.tooLarge());
        if (error.code === 'LIMIT_UNEXPECTED_FILE' || error.code === 'LIMIT_FILE_COUNT') return reject(new BadRequestError('Send one file, in the form field "file".'));
        return reject(new BadRequestError('The upload has more or larger form fields than an import takes: one file ("file") and an optional title ("title").'));
      }
      reject(new BadRequestError('The upload was incomplete or malformed. Choose the file again and retry.'));
    });
  });
}

/**
 * Converting is CPU work (a long Word file takes a few hundred milliseconds): a few at a
 * time, a few more waiting, and beyond that "try again in a moment" rather than a server
 * that stops answering everyone else.
 */
class ConversionSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrent: number,
    private readonly queued: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrent) {
      if (this.waiting.length >= this.queued) throw new TooManyRequestsError('Many files are being imported right now. Try again in a few seconds.', 5);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export function importRoutes(ctx: AppContext): Router {
  const router = Router();
  const { store } = ctx;
  const slots = new ConversionSlots(2, 8);

  router.post('/workspaces/:workspaceId/documents/import', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const { actor } = await requireWorkspaceAccess(store, user, workspaceId);
    authorize(actor, 'workspace.createDocument');
    await receive(req, res);
    const file = req.file;
    if (!file) throw new BadRequestError('Choose a Word (.docx) or Markdown (.md) file to import, in the form field "file".');
    const rawTitle = typeof req.body?.title === 'string' ? req.body.title.trim() : '';
    const title = rawTitle ? parseOrThrow(CreateDocumentRequestSchema.shape.title, rawTitle, 'title') : null;
    const started = performance.now();
    const imported = await slots.run(() => importFile(file.buffer, file.originalname || 'Imported document'));
    const document = await createDocument(
      store,
      ctx.liveDocuments,
      user.id,
      { workspaceId, title: title ?? imported.suggestedTitle, template: 'blank' },
      contentUpdate(imported.blocks),
    );
    req.requestLog.info({ workspaceId, userId: user.id, documentId: document.id, kind: imported.kind, bytes: file.size, ms: Math.round(performance.now() - started) }, 'document imported');
    const [meta] = await presentDocuments(store, [document], actor);
    res.status(201).json({ document: meta!, report: imported.report } satisfies ImportDocumentResponse);
  });

  return router;
}
