/** The workspace page: create a draft from a template, find it, rename it; a chair archives and restores it. */
import { editor, expect, test } from '../fixtures';
import { CHAIR, CONTRIBUTOR, OBSERVER, WORKSPACE_TITLE } from '../people';

const SECTIONS = [
  'Background and purpose of the network',
  'Scope and objectives',
  'Who may apply',
  'Eligibility and selection criteria',
  'Obligations of members and governance',
  'Assessment procedure and timeline',
  'How to apply',
  'Data protection',
];

test('a contributor creates a call for expressions of interest and finds its sections in the outline', async ({ openAs, cast }) => {
  const page = await openAs(CONTRIBUTOR);
  await page.goto('/');
  await page.getByRole('link', { name: new RegExp(WORKSPACE_TITLE.replace(/[()]/g, '\\$&')) }).click();
  await expect(page.getByRole('heading', { level: 1, name: WORKSPACE_TITLE })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/w/${cast.workspaceId}$`));

  // Members are listed with role and country.
  const members = page.getByRole('region', { name: /Members/ });
  await expect(members.getByRole('listitem').filter({ hasText: CHAIR.name })).toContainText('Italy');
  await expect(members.getByRole('listitem').filter({ hasText: OBSERVER.name })).toContainText('Observer');

  await page.getByRole('button', { name: 'New document' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New document' });
  await dialog.getByLabel('Title').fill('OMICS call — first draft');
  await dialog.getByRole('radio', { name: /Call for expressions of interest/ }).check();
  await dialog.getByRole('button', { name: 'Create document' }).click();

  await expect(page).toHaveURL(/\/d\/[A-Za-z0-9_-]+$/);
  const outline = page.getByRole('navigation', { name: 'Outline' });
  await expect(outline.getByRole('link')).toHaveText(['OMICS call — first draft', ...SECTIONS]);
  await expect(page.getByRole('navigation', { name: 'You are here' })).toContainText(WORKSPACE_TITLE);
  await expect(page.getByTestId('save-status')).toHaveText(/^All changes saved$/);

  // Clicking a section in the outline jumps there and marks it as the current one.
  await outline.getByRole('link', { name: 'Data protection' }).click();
  await expect(outline.getByRole('link', { name: 'Data protection' })).toHaveAttribute('aria-current', 'location');
  await expect(editor(page).locator('h2', { hasText: 'Data protection' })).toBeInViewport();

  // Back in the workspace, the draft is listed with its template and who edited it last.
  await page.getByRole('navigation', { name: 'You are here' }).getByRole('link', { name: WORKSPACE_TITLE }).click();
  const row = page.getByRole('row', { name: /OMICS call — first draft/ });
  await expect(row).toContainText('Call for expressions of interest');
  await expect(row).toContainText(CONTRIBUTOR.name);

  // Rename, archive and restore.
  await row.getByRole('button', { name: 'Rename OMICS call — first draft' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename document' });
  await rename.getByLabel('Title').fill('OMICS call — draft 2');
  await rename.getByRole('button', { name: 'Save' }).click();
  const renamed = page.getByRole('row', { name: /OMICS call — draft 2/ });
  await expect(renamed).toBeVisible();

  // Archiving the deliverable is for chairs and leads: a contributor is not offered it.
  await expect(renamed.getByRole('button', { name: /^Archive / })).toHaveCount(0);
  const chair = await openAs(CHAIR);
  await chair.goto(`/w/${cast.workspaceId}`);
  await chair.getByRole('row', { name: /OMICS call — draft 2/ }).getByRole('button', { name: 'Archive OMICS call — draft 2' }).click();
  await expect(chair.getByRole('row', { name: /OMICS call — draft 2/ })).toHaveCount(0);
  await chair.getByLabel(/Show \d+ archived document/).check();
  await expect(chair.getByRole('row', { name: /OMICS call — draft 2/ })).toContainText('Archived');
  await chair.getByRole('button', { name: 'Restore OMICS call — draft 2' }).click();
  await expect(chair.getByRole('row', { name: /OMICS call — draft 2/ })).not.toContainText('Archived');
});

test('a chair adds a person to the workspace, changes their role and removes them again', async ({ openAs, createMember, adminApi, cast }) => {
  // An account that is not (or no longer) a member of the workspace.
  const person = await createMember({ name: 'Piotr Kowalski', country: 'PL', organisation: 'National Research Institute of Oncology', role: 'observer' });
  expect((await adminApi.delete(`/api/workspaces/${cast.workspaceId}/members/${person.id}`)).status()).toBe(204);

  const chair = await openAs(CHAIR);
  await chair.goto(`/w/${cast.workspaceId}`);
  const members = chair.getByRole('region', { name: /Members/ });
  const row = members.getByRole('listitem').filter({ hasText: person.name });
  await expect(members.getByRole('listitem').filter({ hasText: CHAIR.name })).toBeVisible();
  await expect(row).toHaveCount(0);

  await members.getByRole('button', { name: 'Add people' }).click();
  const dialog = chair.getByRole('dialog', { name: 'Add people to this workspace' });
  await dialog.getByRole('button', { name: 'Add to workspace' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Choose the person to add from the list.');
  await dialog.getByLabel('Find a person').fill(person.email);
  await dialog.getByLabel('Person', { exact: true }).selectOption({ label: `${person.name} — ${person.organisation} (PL)` });
  await dialog.getByLabel('Role', { exact: true }).selectOption('lead');
  await dialog.getByRole('button', { name: 'Add to workspace' }).click();
  await expect(dialog).toBeHidden();
  await expect(chair.getByRole('status').filter({ hasText: `${person.name} was added as Lead.` })).toBeAttached();
  await expect(row).toContainText('Poland');
  await expect(row.getByLabel(`Role of ${person.name}`)).toHaveValue('lead');

  await row.getByLabel(`Role of ${person.name}`).selectOption('contributor');
  await expect(chair.getByRole('status').filter({ hasText: `${person.name} is now Contributor.` })).toBeAttached();
  await chair.reload();
  await expect(row.getByLabel(`Role of ${person.name}`)).toHaveValue('contributor');

  await row.getByRole('button', { name: `Remove ${person.name} from the workspace` }).click();
  const confirm = chair.getByRole('dialog', { name: 'Remove member' });
  await expect(confirm).toContainText(`Remove ${person.name} from “${WORKSPACE_TITLE}”?`);
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await expect(chair.getByRole('status').filter({ hasText: `${person.name} was removed from the workspace.` })).toBeAttached();
  await expect(row).toHaveCount(0);
  await chair.reload();
  await expect(members.getByRole('listitem').filter({ hasText: CHAIR.name })).toBeVisible();
  await expect(row).toHaveCount(0);
});
