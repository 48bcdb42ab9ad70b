/** Comment threads over REST. Live updates go out through realtime/. */
import { Router } from 'express';
import { z } from 'zod';
import { CommentBodyRequestSchema, CreateThreadRequestSchema, IdSchema } from '@jane/shared';
import { requireUser } from '../auth/requestUser.js';
import { parseOrThrow } from '../validation.js';
import type { CommentService } from './service.js';

const StatusSchema = z.enum(['open', 'resolved', 'all']).default('open');

export function commentRoutes(comments: CommentService): Router {
  const router = Router();

  router.get('/documents/:documentId/threads', async (req, res) => {
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    res.json({ threads: await comments.listForDocument(requireUser(req), documentId) });
  });

  router.post('/documents/:documentId/threads', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const body = parseOrThrow(CreateThreadRequestSchema, req.body, 'comment');
    res.status(201).json({ thread: await comments.createThread(user, documentId, body) });
  });

  router.post('/threads/:threadId/comments', async (req, res) => {
    const user = requireUser(req);
    const threadId = parseOrThrow(IdSchema, req.params.threadId, 'thread id');
    const { body } = parseOrThrow(CommentBodyRequestSchema, req.body, 'comment');
    res.status(201).json({ thread: await comments.reply(user, threadId, body) });
  });

  router.patch('/comments/:commentId', async (req, res) => {
    const user = requireUser(req);
    const commentId = parseOrThrow(IdSchema, req.params.commentId, 'comment id');
    const { body } = parseOrThrow(CommentBodyRequestSchema, req.body, 'comment');
    res.json({ thread: await comments.editComment(user, commentId, body) });
  });

  router.delete('/comments/:commentId', async (req, res) => {
    const user = requireUser(req);
    const commentId = parseOrThrow(IdSchema, req.params.commentId, 'comment id');
    res.json({ thread: await comments.deleteComment(user, commentId) });
  });

  for (const [action, resolved] of [['resolve', true], ['reopen', false]] as const) {
    router.post(`/threads/:threadId/${action}`, async (req, res) => {
      const user = requireUser(req);
      const threadId = parseOrThrow(IdSchema, req.params.threadId, 'thread id');
      res.json({ thread: await comments.setResolved(user, threadId, resolved) });
    });
  }

  router.get('/workspaces/:workspaceId/threads', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const status = parseOrThrow(StatusSchema, req.query.status, 'status');
    res.json({ threads: await comments.workspaceThreads(user, workspaceId, status) });
  });

  router.get('/me/threads', async (req, res) => {
    res.json({ threads: await comments.myOpenThreads(requireUser(req)) });
  });

  return router;
}
