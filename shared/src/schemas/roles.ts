import { z } from 'zod';
import { ROLES } from '../domain/roles.js';

export const RoleSchema = z.enum(ROLES);
