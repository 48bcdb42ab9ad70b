import type { Request } from 'express';
import type { UserRecord } from '../storage/port.js';
import { UnauthorizedError } from '../errors.js';
import { accountActor, authorize } from '../policies/authorize.js';

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

/** The signed-in administrator (403 for anyone else): accounts, invitations, workspaces. */
export function requireAdmin(req: Request): UserRecord {
  const user = requireUser(req);
  authorize(accountActor(user), 'admin.accounts');
  return user;
}
