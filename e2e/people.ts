/** The cast of the browser tests: people from different countries, one per role. */
import type { Role } from '@jane/shared';

export const PASSWORD = 'a long test passphrase';

export interface Person {
  name: string;
  email: string;
  country: string;
  organisation: string;
  password: string;
}

export interface Member extends Person {
  role: Role;
}

/** Created through the first-run setup screen (specs/first-run.spec.ts). */
export const ADMIN: Person = {
  name: 'Anneleen Peeters',
  email: 'admin@jane.test',
  country: 'BE',
  organisation: 'Sciensano',
  password: PASSWORD,
};

/** Created by the administrator through the REST API, all in {@link WORKSPACE_TITLE}. */
export const CHAIR: Member = {
  name: 'Giulia Rossi',
  email: 'giulia.rossi@iss.test',
  country: 'IT',
  organisation: 'Istituto Superiore di Sanità',
  password: PASSWORD,
  role: 'chair',
};

export const LEAD: Member = {
  name: 'Ingrid Lindqvist',
  email: 'ingrid.lindqvist@ki.test',
  country: 'SE',
  organisation: 'Karolinska Institutet',
  password: PASSWORD,
  role: 'lead',
};

export const CONTRIBUTOR: Member = {
  name: 'Jonas Müller',
  email: 'jonas.mueller@dkfz.test',
  country: 'DE',
  organisation: 'DKFZ Heidelberg',
  password: PASSWORD,
  role: 'contributor',
};

export const OBSERVER: Member = {
  name: 'Camille Martin',
  email: 'camille.martin@unicancer.test',
  country: 'FR',
  organisation: 'Unicancer',
  password: PASSWORD,
  role: 'observer',
};

export const MEMBERS = [CHAIR, LEAD, CONTRIBUTOR, OBSERVER] as const;

/** One of the seeded JANE workspaces. */
export const WORKSPACE_TITLE = 'Omic technologies (OMICS Network of Excellence for Cancer)';
