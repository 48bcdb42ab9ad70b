/**
 * Workspace presence as members see it: who is online, from which country, where (the
 * workspace page, or a document and its section) and how active; the online count on the
 * home page; and the choice to stay hidden.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { expect, openDocument, paragraphUnderSection, test } from '../fixtures';
import { CHAIR, CONTRIBUTOR, OBSERVER, WORKSPACE_TITLE } from '../people';

const screenshots = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

const onlineNow = (page: Page): Locator => page.getByRole('region', { name: /^Online now/ });
const onlineEntry = (page: Page, name: string): Locator => onlineNow(page).getByRole('listitem').filter({ hasText: name });
const workspaceCard = (page: Page): Locator => page.getByRole('link', { name: new RegExp(WORKSPACE_TITLE.replace(/[()]/g, '\\$&')) });

/** What the browser does when the person switches to another tab or minimises the window. */
async function setTabVisible(page: Page, visible: boolean): Promise<void> {
  await page.evaluate((isVisible) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (isVisible ? 'visible' : 'hidden') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, visible);
}

test('members see each other on the workspace page within a second: country, where they are, how active', async ({ openAs, createDocument, cast }) => {
  const doc = await createDocument({ title: 'Network plan — presence check' });
  const italy = await openAs(CHAIR);
  const germany = await openAs(CONTRIBUTOR);

  await italy.goto(`/w/${cast.workspaceId}`);
  await expect(onlineNow(italy)).toContainText('Nobody else is here right now');

  await germany.goto(`/w/${cast.workspaceId}`);
  const jonas = onlineEntry(italy, CONTRIBUTOR.name);
  await expect(jonas).toContainText('Germany');
  await expect(jonas.getByTestId('location')).toHaveText('On the workspace page');
  await expect(jonas.getByTestId('activity')).toHaveText('Active');
  // Italy appears on Germany's page as well.
  await expect(onlineEntry(germany, CHAIR.name)).toContainText('Italy');

  // Germany opens a draft and moves into a section: Italy sees it within a second each time.
  await openDocument(germany, doc);
  await expect(jonas.getByTestId('location')).toContainText(doc.title, { timeout: 1000 });
  await paragraphUnderSection(germany, 'Who may apply').click();
  await expect(jonas.getByTestId('location')).toContainText('Who may apply', { timeout: 1000 });
  await paragraphUnderSection(germany, 'Data protection').click();
  await expect(jonas.getByTestId('location')).toContainText('Data protection', { timeout: 1000 });
  await expect(jonas.getByRole('link', { name: doc.title })).toHaveAttribute('href', doc.path);

  // In the document, Germany sees who else is in the workspace and where.
  const peopleTab = germany.getByRole('tab', { name: /^People/ });
  if ((await peopleTab.count()) > 0) await peopleTab.click(); // the side panel has tabs (comments | people)
  const elsewhere = germany.getByRole('region', { name: 'Elsewhere in this workspace' });
  await expect(elsewhere.getByRole('listitem').filter({ hasText: CHAIR.name }).getByTestId('location')).toHaveText('On the workspace page');

  // Switching to another tab shows "Away"; coming back, "Active".
  await setTabVisible(germany, false);
  await expect(jonas.getByTestId('activity')).toHaveText('Away', { timeout: 1000 });
  await setTabVisible(germany, true);
  await expect(jonas.getByTestId('activity')).toHaveText('Active', { timeout: 1000 });
  await italy.screenshot({ path: path.join(screenshots, 'presence-workspace.png') });

  // Closing the page removes them.
  await germany.close();
  await expect(onlineNow(italy)).toContainText('Nobody else is here right now');
  await expect(onlineNow(italy).getByRole('listitem')).toHaveCount(0);
});

test('after some minutes without input a member shows as idle, and active again on the next key press', async ({ openAs, cast }) => {
  const italy = await openAs(CHAIR);
  const france = await openAs(OBSERVER);
  await france.clock.install();
  await italy.goto(`/w/${cast.workspaceId}`);
  await france.goto(`/w/${cast.workspaceId}`);
  const camille = onlineEntry(italy, OBSERVER.name);
  await expect(camille.getByTestId('activity')).toHaveText('Active');

  await france.clock.fastForward('03:01'); // IDLE_AFTER_MINUTES = 3
  await expect(camille.getByTestId('activity')).toHaveText('Idle');
  await france.keyboard.press('Tab');
  await expect(camille.getByTestId('activity')).toHaveText('Active');
});

test('the home page shows how many others are online in each workspace', async ({ openAs, cast }) => {
  const italy = await openAs(CHAIR);
  await italy.goto('/');
  await expect(workspaceCard(italy)).toBeVisible();
  await expect(workspaceCard(italy).getByTestId('online-count')).toHaveCount(0);

  const germany = await openAs(CONTRIBUTOR);
  await germany.goto(`/w/${cast.workspaceId}`);
  await expect(workspaceCard(italy).getByTestId('online-count')).toHaveText('1 person online');
  const france = await openAs(OBSERVER);
  await france.goto('/');
  await expect(workspaceCard(italy).getByTestId('online-count')).toHaveText('2 people online');
  // A second tab of the same person is still one person.
  const secondTab = await germany.context().newPage();
  await secondTab.goto('/');
  await expect(workspaceCard(france).getByTestId('online-count')).toHaveText('2 people online');
  await expect(workspaceCard(italy).getByTestId('online-count')).toHaveText('2 people online');

  await germany.close();
  await secondTab.close();
  await expect(workspaceCard(italy).getByTestId('online-count')).toHaveText('1 person online');
});

test('a member who hides their presence disappears from "Online now", also after a reload, and can show up again', async ({ openAs, cast }) => {
  const italy = await openAs(CHAIR);
  const germany = await openAs(CONTRIBUTOR);
  await italy.goto(`/w/${cast.workspaceId}`);
  await germany.goto(`/w/${cast.workspaceId}`);
  await expect(onlineEntry(italy, CONTRIBUTOR.name)).toBeVisible();

  await germany.getByRole('button', { name: CONTRIBUTOR.name }).click();
  await germany.getByRole('checkbox', { name: 'Hide me from “Online now” lists' }).check();
  await expect(onlineNow(italy)).toContainText('Nobody else is here right now');
  await expect(onlineNow(germany)).toContainText('You are hidden');

  await germany.reload();
  await expect(onlineNow(germany)).toContainText('You are hidden');
  await expect(onlineEntry(germany, CHAIR.name)).toBeVisible();
  await expect(onlineNow(italy).getByRole('listitem')).toHaveCount(0);
  // A fresh page of Italy's does not see Germany either.
  await italy.reload();
  await expect(onlineNow(italy)).toContainText('Nobody else is here right now');

  await onlineNow(germany).getByRole('button', { name: 'Show me again' }).click();
  await expect(onlineEntry(italy, CONTRIBUTOR.name)).toContainText('On the workspace page');
  await germany.getByRole('button', { name: CONTRIBUTOR.name }).click();
  await expect(germany.getByRole('checkbox', { name: 'Hide me from “Online now” lists' })).not.toBeChecked();
});
