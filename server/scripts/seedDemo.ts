/**
 * `pnpm seed:demo`: demo people from several countries with different roles, and a
 * starter draft, so a newcomer can try co-editing in two browsers. Safe to run twice.
 * Uses the same configuration as the server (DATA_DIR or MONGODB_URI).
 */
import { buildTemplateUpdate, type Role } from '@jane/shared';
import { hashPassword } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config.js';
import { newId } from '../src/ids.js';
import { openStore } from '../src/storage/index.js';
import { seedJaneWorkspaces } from '../src/workspaces/seed.js';

const DEMO_PASSWORD = 'jane-demo-password';

interface DemoPerson {
  name: string;
  email: string;
  country: string;
  organisation: string;
  isAdmin?: boolean;
  roles: Record<string, Role>;
}

const SURVIVORSHIP = 'Survivorship';
const OMICS = 'Omic technologies (OMICS Network of Excellence for Cancer)';
const PALLIATIVE = 'Palliative care';

const PEOPLE: DemoPerson[] = [
  { name: 'Giulia Rossi', email: 'giulia.rossi@demo.jane.example', country: 'IT', organisation: 'Istituto Nazionale dei Tumori', roles: { [SURVIVORSHIP]: 'chair', [OMICS]: 'chair' } },
  { name: 'Jonas Becker', email: 'jonas.becker@demo.jane.example', country: 'DE', organisation: 'German Cancer Research Center', roles: { [SURVIVORSHIP]: 'lead', [OMICS]: 'contributor' } },
  { name: 'Camille Laurent', email: 'camille.laurent@demo.jane.example', country: 'FR', organisation: 'Institut Curie', roles: { [SURVIVORSHIP]: 'contributor', [PALLIATIVE]: 'lead' } },
  { name: 'Ana Kovač', email: 'ana.kovac@demo.jane.example', country: 'SI', organisation: 'Institute of Oncology Ljubljana', roles: { [SURVIVORSHIP]: 'contributor' } },
  { name: 'María García', email: 'maria.garcia@demo.jane.example', country: 'ES', organisation: 'Instituto de Salud Carlos III', roles: { [PALLIATIVE]: 'chair', [SURVIVORSHIP]: 'lead' } },
  { name: 'Mikkel Jensen', email: 'mikkel.jensen@demo.jane.example', country: 'DK', organisation: 'Danish Cancer Institute', roles: { [SURVIVORSHIP]: 'observer' } },
];

const DEMO_ADMIN: DemoPerson = {
  name: 'Demo Administrator',
  email: 'admin@demo.jane.example',
  country: 'BE',
  organisation: 'JANE coordination',
  isAdmin: true,
  roles: {},
};

const config = loadConfig();
const store = await openStore(config);
try {
  await seedJaneWorkspaces(store);
  const workspaces = new Map((await store.workspaces.list()).map((w) => [w.title, w.id]));
  const hasAdmin = (await store.users.list()).some((u) => u.isAdmin && u.active);
  const people = hasAdmin ? PEOPLE : [DEMO_ADMIN, ...PEOPLE];
  const passwordHash = await hashPassword(DEMO_PASSWORD, config.scryptCost);
  const created: string[] = [];
  let chairId: string | null = null;

  for (const person of people) {
    let user = await store.users.findByEmail(person.email);
    if (!user) {
      user = {
        id: newId(),
        email: person.email,
        name: person.name,
        country: person.country,
        organisation: person.organisation,
        passwordHash,
        isAdmin: person.isAdmin ?? false,
        active: true,
        createdAt: new Date().toISOString(),
      };
      await store.users.create(user);
      created.push(person.email);
    }
    for (const [title, role] of Object.entries(person.roles)) {
      const workspaceId = workspaces.get(title);
      if (workspaceId) await store.memberships.upsert({ workspaceId, userId: user.id, role, createdAt: user.createdAt });
    }
    if (person.roles[SURVIVORSHIP] === 'chair') chairId = user.id;
  }

  const survivorshipId = workspaces.get(SURVIVORSHIP);
  if (survivorshipId && chairId && (await store.documents.listForWorkspace(survivorshipId)).length === 0) {
    const now = new Date().toISOString();
    const title = 'Call for expressions of interest — Survivorship network';
    const id = newId();
    await store.content.append([{ docId: id, data: buildTemplateUpdate('call-for-expressions-of-interest', title), userId: chairId }], now);
    await store.documents.create({
      id, workspaceId: survivorshipId, title, template: 'call-for-expressions-of-interest', archived: false,
      createdAt: now, createdBy: chairId, updatedAt: now, updatedBy: chairId,
    });
  }

  const rows = people.map((p) => {
    const roles = Object.entries(p.roles).map(([title, role]) => `${role} in ${title.split(' (')[0]}`).join(', ');
    return `  ${p.email.padEnd(38)} ${p.country}  ${p.isAdmin ? 'administrator' : roles}`;
  });
  console.log(`\nDemo accounts (${created.length} new) — password for all: ${DEMO_PASSWORD}\n`);
  console.log(rows.join('\n'));
  console.log('\nTry co-editing: sign in as giulia.rossi@… in one browser and jonas.becker@… in another (or a private window),');
  console.log('open the Survivorship workspace and its "Call for expressions of interest" draft.\n');
} finally {
  await store.close();
}
