import type { Request } from 'express';
import type { UserRecord } from '../storage/port.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by the session middleware when the request carries a valid session. */
      user?: UserRecord;
      sessionToken?: string;
    }
  }
}

export function requireUser(req: Request): UserRecord {
  if (!req.user) throw new UnauthorizedError();
  return req.user;
}

export function requireAdmin(req: Request): UserRecord {
  const user = requireUser(req);
  if (!user.isAdmin) throw new ForbiddenError('Only an administrator can do this.');
  return user;
}
