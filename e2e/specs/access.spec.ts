/** Access changes while a document is open are shown at once and honestly. */
import { editor, expect, openDocument, paragraphUnderSection, saveStatus, test, typeInto, expectWritten } from '../fixtures';
import { CHAIR } from '../people';

test('an observer promoted to contributor can edit without reloading', async ({ createDocument, createMember, openAs, adminApi, cast }) => {
  const doc = await createDocument();
  const person = await createMember({ name: 'Lukas Novák', country: 'CZ', organisation: 'Masaryk Memorial Cancer Institute', role: 'observer' });
  const page = await openAs(person);
  await openDocument(page, doc, /^Read-only$/);
  await expect(editor(page)).toHaveAttribute('contenteditable', 'false');

  const promoted = await adminApi.put(`/api/workspaces/${cast.workspaceId}/members/${person.id}`, { data: { role: 'contributor' } });
  expect(promoted.ok()).toBe(true);

  await expect(saveStatus(page)).toHaveText(/^All changes saved$/);
  await expect(editor(page)).toHaveAttribute('contenteditable', 'true');
  await expect(page.getByRole('toolbar', { name: 'Formatting' })).toBeVisible();
  await typeInto(page, paragraphUnderSection(page, 'Data protection'), 'Personal data stays in the EU.');
  await expect(saveStatus(page)).toHaveText(/^All changes saved$/);

  const chair = await openAs(CHAIR);
  await chair.goto(doc.path);
  await expectWritten(paragraphUnderSection(chair, 'Data protection'), 'Personal data stays in the EU.');
});

test('a contributor removed from the workspace is told at once and can no longer edit', async ({ createDocument, createMember, openAs, adminApi, cast }) => {
  const doc = await createDocument();
  const person = await createMember({ name: 'Sofia Papadopoulou', country: 'GR', organisation: 'Hellenic Cancer Society', role: 'contributor' });
  const page = await openAs(person);
  await openDocument(page, doc);

  const removed = await adminApi.delete(`/api/workspaces/${cast.workspaceId}/members/${person.id}`);
  expect(removed.status()).toBe(204);

  await expect(page.getByRole('alert')).toContainText('You no longer have access to this document.');
  await expect(editor(page)).toHaveAttribute('contenteditable', 'false');
  await expect(page.getByRole('link', { name: 'Back to the workspace' })).toBeVisible();
});

test('an account deactivated while editing is sent to sign in', async ({ createDocument, createMember, openAs, adminApi }) => {
  const doc = await createDocument();
  const person = await createMember({ name: 'Ana Kovač', country: 'HR', organisation: 'University Hospital Centre Zagreb', role: 'contributor' });
  const page = await openAs(person);
  await openDocument(page, doc);

  const deactivated = await adminApi.patch(`/api/admin/users/${person.id}`, { data: { active: false } });
  expect(deactivated.ok()).toBe(true);

  await expect(page).toHaveURL(/\/login\?redirect=/);
  await expect(page.getByText('Your session has ended. Sign in again to continue where you were.')).toBeVisible();
});

test('someone signed out who opens a link to a document signs in and lands on that document', async ({ createDocument, openAnonymous }) => {
  const doc = await createDocument({ title: 'Quality criteria — shared link' });
  const page = await openAnonymous();
  // The page asks for the document while it checks the session: the answer (401) must
  // neither count as "your session ended" nor be what the page shows after signing in.
  await page.goto(doc.path);
  await expect(page).toHaveURL(/\/login\?redirect=/);
  await expect(page.getByText('Your session has ended')).toHaveCount(0);
  await page.getByLabel('Email address').fill(CHAIR.email);
  await page.getByLabel('Password').fill(CHAIR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${doc.path}$`));
  await expect(page.getByRole('heading', { name: 'Quality criteria — shared link' })).toBeVisible();
  await expect(saveStatus(page)).toHaveText(/^All changes saved$/);
  await expect(editor(page)).toHaveAttribute('contenteditable', 'true');
});
