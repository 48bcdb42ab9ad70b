/** An administrator invites someone; they accept the link, choose a password and are in. */
import { expect, test } from '../fixtures';
import { ADMIN, PASSWORD, WORKSPACE_TITLE } from '../people';

test('an invitation link lets a new member join a workspace with the chosen role', async ({ openAs, openAnonymous }) => {
  const admin = await openAs(ADMIN);
  await admin.goto('/admin/invitations');
  await expect(admin.getByRole('heading', { name: 'Invite someone' })).toBeVisible();

  const email = `piotr.nowak.${Date.now()}@jane.test`;
  await admin.getByLabel('Email address').fill(email);
  await admin.getByLabel('Name', { exact: true }).fill('Piotr Nowak');
  await admin.getByLabel('Workspace', { exact: true }).selectOption({ label: WORKSPACE_TITLE });
  await admin.getByLabel('Role', { exact: true }).selectOption({ label: 'Lead' });
  await admin.getByRole('button', { name: 'Create invitation' }).click();

  const link = await admin.getByLabel('Invitation link').inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
  await expect(admin.getByRole('row', { name: new RegExp(email) })).toContainText('Pending');

  const invitee = await openAnonymous();
  await invitee.goto(new URL(link).pathname);
  await expect(invitee.getByRole('heading', { name: 'Join JANE Workspace' })).toBeVisible();
  await expect(invitee.getByRole('listitem').filter({ hasText: WORKSPACE_TITLE })).toContainText('Lead');
  await expect(invitee.getByLabel('Email address')).toHaveValue(email);
  await expect(invitee.getByLabel('Full name')).toHaveValue('Piotr Nowak');
  await invitee.getByLabel('Country').selectOption('PL');
  await invitee.getByLabel('Organisation').fill('Maria Skłodowska-Curie National Research Institute of Oncology');
  await invitee.getByLabel('Choose a password').fill(PASSWORD);
  await invitee.getByRole('button', { name: 'Create my account' }).click();

  await expect(invitee.getByRole('heading', { name: 'My workspaces' })).toBeVisible();
  const card = invitee.getByRole('link', { name: new RegExp(WORKSPACE_TITLE.replace(/[()]/g, '\\$&')) });
  await expect(card).toContainText('Lead');

  // The link works once.
  const again = await openAnonymous();
  await again.goto(new URL(link).pathname);
  await expect(again.getByRole('alert')).toHaveText('This invitation was already used. Sign in instead.');

  await admin.reload();
  await expect(admin.getByRole('row', { name: new RegExp(email) })).toContainText('Accepted');
});
