/** Comment threads over REST. Live updates go out through realtime/. */
import { Router } from 'express';
import { z } from 'zod';
import {
  CommentBodyRequestSchema,
  CreateThreadRequestSchema,
  IdSchema,
  THREAD_STATUSES,
  type CommentDeletedResponse,
  type DocumentThreadsResponse,
  type ThreadResponse,
  type ThreadStatusFilter,
  type WorkspaceThreadsResponse,
} from '@jane/shared';
import { requireUser } from '../auth/requestUser.js';
import { parseOrThrow } from '../validation.js';
import type { CommentService } from './service.js';

/** The `status` query: a thread status or `all` (the ThreadStatusFilter of shared/). */
const StatusSchema = z.enum([...THREAD_STATUSES, 'all'] as const).default('open');

export function commentRoutes(comments: CommentService): Router {
  const router = Router();

  router.get('/documents/:documentId/threads', async (req, res) => {
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    res.json({ threads: await comments.listForDocument(requireUser(req), documentId) } satisfies DocumentThreadsResponse);
  });

  router.post('/documents/:documentId/threads', async (req, res) => {
    const user = requireUser(req);
    const documentId = parseOrThrow(IdSchema, req.params.documentId, 'document id');
    const body = parseOrThrow(CreateThreadRequestSchema, req.body, 'comment');
    res.status(201).json({ thread: await comments.createThread(user, documentId, body) } satisfies ThreadResponse);
  });

  router.post('/threads/:threadId/comments', async (req, res) => {
    const user = requireUser(req);
    const threadId = parseOrThrow(IdSchema, req.params.threadId, 'thread id');
    const { body } = parseOrThrow(CommentBodyRequestSchema, req.body, 'comment');
    res.status(201).json({ thread: await comments.reply(user, threadId, body) } satisfies ThreadResponse);
  });

  router.patch('/comments/:commentId', async (req, res) => {
    const user = requireUser(req);
    const commentId = parseOrThrow(IdSchema, req.params.commentId, 'comment id');
    const { body } = parseOrThrow(CommentBodyRequestSchema, req.body, 'comment');
    res.json({ thread: await comments.editComment(user, commentId, body) } satisfies ThreadResponse);
  });

  router.delete('/comments/:commentId', async (req, res) => {
    const user = requireUser(req);
    const commentId = parseOrThrow(IdSchema, req.params.commentId, 'comment id');
    res.json({ thread: await comments.deleteComment(user, commentId) } satisfies CommentDeletedResponse);
  });

  for (const [action, resolved] of [['resolve', true], ['reopen', false]] as const) {
    router.post(`/threads/:threadId/${action}`, async (req, res) => {
      const user = requireUser(req);
      const threadId = parseOrThrow(IdSchema, req.params.threadId, 'thread id');
      res.json({ thread: await comments.setResolved(user, threadId, resolved) } satisfies ThreadResponse);
    });
  }

  router.get('/workspaces/:workspaceId/threads', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const status: ThreadStatusFilter = parseOrThrow(StatusSchema, req.query.status, 'status');
    res.json({ threads: await comments.workspaceThreads(user, workspaceId, status) } satisfies WorkspaceThreadsResponse);
  });

  router.get('/me/threads', async (req, res) => {
    res.json({ threads: await comments.myOpenThreads(requireUser(req)) } satisfies WorkspaceThreadsResponse);
  });

  return router;
}
