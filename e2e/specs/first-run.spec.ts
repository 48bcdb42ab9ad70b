/**
 * An empty install: the first visitor is sent to the setup screen, creates the
 * administrator, and is signed in. Runs first (project "first-run"); every other spec
 * signs in as the administrator created here.
 */
import { expect, test } from '@playwright/test';
import { ADMIN } from '../people';

test('first-run setup creates the administrator through the UI, then sign-out and sign-in work', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Set up JANE Workspace' })).toBeVisible();

  // Submitting the empty form explains what to fix, field by field.
  await page.getByRole('button', { name: 'Create administrator account' }).click();
  await expect(page.getByRole('alert')).toContainText('Some details need correcting');
  await expect(page.locator('#setup-password-error')).toHaveText('Use at least 10 characters');
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  // The summary says what the field says: the country is picked from a list, not typed as a code.
  const summary = page.getByRole('alert').filter({ hasText: 'Some details need correcting' });
  await expect(page.locator('#setup-country-error')).toHaveText('Choose your country from the list');
  await expect(summary.getByRole('listitem').filter({ hasText: /country/i })).toHaveText(['Choose your country from the list']);

  await page.getByLabel('Full name').fill(ADMIN.name);
  await page.getByLabel('Email address').fill(ADMIN.email);
  await page.getByLabel('Country').selectOption(ADMIN.country);
  await page.getByLabel('Organisation').fill(ADMIN.organisation);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator account' }).click();

  await expect(page.getByRole('heading', { name: 'My workspaces' })).toBeVisible();
  await expect(page.getByRole('button', { name: new RegExp(ADMIN.name) })).toBeVisible();
  // The seeded JANE workspaces are there for the administrator.
  await expect(page.getByRole('link', { name: /Survivorship/ })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Administration' })).toBeVisible();

  // Setup cannot be run twice.
  await page.goto('/setup');
  await expect(page).toHaveURL(/\/$/);

  // Sign out from the user menu.
  await page.getByRole('button', { name: new RegExp(ADMIN.name) }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText('You have signed out.')).toBeVisible();

  // Pages need a session: the sign-in screen remembers where we wanted to go.
  await page.goto('/admin/workspaces');
  await expect(page).toHaveURL(/\/login\?redirect=/);

  await page.getByLabel('Email address').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  await expect(page.getByLabel('Password')).toHaveValue('');

  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\/workspaces$/);
  await expect(page.getByRole('link', { name: 'Patient involvement', exact: true })).toBeVisible();
});
