/** Administrators: export a person's data, anonymise an account (see privacy.ts). */
import { Router } from 'express';
import { IdSchema } from '@jane/shared';
import type { AppContext } from '../context.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { requireAdmin } from '../auth/requestUser.js';
import { parseOrThrow } from '../validation.js';
import { presentUser } from '../users/present.js';
import { anonymiseAccount, exportPersonalData } from './privacy.js';

export function privacyRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/admin/users/:userId/export', async (req, res) => {
    requireAdmin(req);
    const userId = parseOrThrow(IdSchema, req.params.userId, 'user id');
    const user = await ctx.store.users.findById(userId);
    if (!user) throw new NotFoundError('There is no such account.');
    const data = await exportPersonalData(ctx.store, user);
    ctx.logger.info({ userId, by: req.user?.id }, 'personal data exported');
    res.setHeader('Content-Disposition', `attachment; filename="jane-personal-data-${userId}.json"`);
    res.json(data);
  });

  router.post('/admin/users/:userId/anonymise', async (req, res) => {
    const admin = requireAdmin(req);
    const userId = parseOrThrow(IdSchema, req.params.userId, 'user id');
    if (userId === admin.id) throw new BadRequestError('You cannot anonymise your own account; ask another administrator.');
    const user = await ctx.store.users.findById(userId);
    if (!user) throw new NotFoundError('There is no such account.');
    const anonymised = await anonymiseAccount(ctx, user);
    ctx.logger.info({ userId, by: admin.id }, 'account anonymised');
    res.json({ user: presentUser(anonymised) });
  });

  return router;
}
