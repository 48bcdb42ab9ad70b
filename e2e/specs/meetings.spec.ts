/**
 * Meetings: a chair starts one, members from two countries join from different places,
 * the chair's panel shows who is there, from where and since when, people leave (a click,
 * a closed laptop), and the attendance record exported through the UI lists everyone in
 * the order they came and went.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { editor, expect, openDocument, paragraphUnderSection, test } from '../fixtures';
import { endRunningMeetings, meetingBanner, startMeeting } from '../meetings';
import { CHAIR, CONTRIBUTOR, OBSERVER, WORKSPACE_TITLE } from '../people';

const screenshots = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');
/** MEETING_GRACE_MS of the test server (playwright.config.ts), plus a margin. */
const GRACE_MS = 2000;

test.beforeEach(async ({ adminApi, cast }) => {
  await endRunningMeetings(adminApi, cast.workspaceId);
});

const banner = meetingBanner;
const attendee = (page: Page, name: string): Locator => page.getByTestId('meeting-attendees').getByRole('listitem').filter({ hasText: name });
const leaver = (page: Page, name: string): Locator => page.getByTestId('meeting-left').getByRole('listitem').filter({ hasText: name });

test('a chair runs a meeting: members from Germany and France join, leave, and the exported attendance lists them in order', async ({
  openAs,
  createDocument,
  cast,
}) => {
  const doc = await createDocument({ title: 'OMICS call — meeting draft' });
  const chair = await openAs(CHAIR, { timezoneId: 'Europe/Rome' });
  const germany = await openAs(CONTRIBUTOR, { timezoneId: 'Europe/Berlin' });
  const france = await openAs(OBSERVER, { timezoneId: 'Europe/Paris' });

  // Members never see the chair's controls.
  await germany.goto(`/w/${cast.workspaceId}`);
  await expect(germany.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(germany.getByRole('button', { name: 'Start a meeting' })).toHaveCount(0);

  await startMeeting(chair, cast.workspaceId, 'OMICS monthly call', { quorum: 2 });
  await expect(attendee(chair, CHAIR.name)).toContainText('Chair');
  await expect(chair.getByTestId('quorum')).toHaveText(/^Quorum not met/);

  // Everyone in the workspace sees the banner at once (and hears it); Germany joins from a document…
  await expect(banner(germany)).toContainText('OMICS monthly call');
  await expect(germany.getByTestId('meeting-announcer')).toHaveText(`${CHAIR.name} started the meeting “OMICS monthly call”. Join it from the banner.`);
  await expect(banner(germany)).toContainText(`Started`);
  await expect(banner(germany)).toContainText(`by ${CHAIR.name}`);
  await openDocument(germany, doc);
  await banner(germany).getByRole('button', { name: 'Join the meeting “OMICS monthly call”' }).click();
  await expect(germany.getByRole('heading', { level: 2, name: 'OMICS monthly call' })).toBeFocused();
  await expect(chair.getByTestId('meeting-announcer')).toHaveText(`${CONTRIBUTOR.name} joined the meeting.`);
  await paragraphUnderSection(germany, 'Who may apply').click();

  // …and France from the workspace page.
  await france.goto(`/w/${cast.workspaceId}`);
  await banner(france).getByRole('button', { name: /^Join/ }).click();
  await expect(attendee(france, OBSERVER.name)).toContainText('(you)');

  // The chair sees both, with country, join time and where each one is right now.
  const jonas = attendee(chair, CONTRIBUTOR.name);
  const camille = attendee(chair, OBSERVER.name);
  await expect(jonas).toContainText('Germany');
  await expect(jonas.getByTestId('location')).toContainText(doc.title);
  await expect(jonas.getByTestId('location')).toContainText('Who may apply');
  await expect(camille).toContainText('France');
  await expect(camille.getByTestId('location')).toHaveText('On the workspace page');
  await expect(jonas).toContainText(/Joined \d\d:\d\d/);
  await expect(chair.getByRole('heading', { name: 'Here now (3)' })).toBeVisible();
  await expect(chair.getByTestId('countries-represented')).toHaveText(/Countries represented:\s*3 of \d+/);
  await expect(chair.getByTestId('quorum')).toHaveText(/^Quorum met/);
  await chair.screenshot({ path: path.join(screenshots, 'meeting-panel.png') });

  // Members never see end or export controls.
  await expect(germany.getByRole('button', { name: 'End meeting' })).toHaveCount(0);
  await expect(germany.getByRole('link', { name: /Download/ })).toHaveCount(0);

  // France leaves with the button; Germany closes the laptop (recorded after the grace period).
  await france.getByRole('button', { name: 'Leave meeting' }).click();
  await expect(banner(france).getByRole('button', { name: /^Join/ })).toBeFocused();
  await expect(leaver(chair, OBSERVER.name)).toContainText(/left \d\d:\d\d/);
  await germany.close();
  await expect(leaver(chair, CONTRIBUTOR.name)).toContainText(/left \d\d:\d\d/, { timeout: GRACE_MS + 5000 });
  await expect(chair.getByRole('heading', { name: 'Here now (1)' })).toBeVisible();
  await expect(chair.getByRole('heading', { name: 'Left (2)' })).toBeVisible();

  // The CSV, downloaded through the chair's link, in the chair's time zone.
  const [download] = await Promise.all([chair.waitForEvent('download'), chair.getByRole('link', { name: 'Download CSV: attendance of “OMICS monthly call”' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^attendance-\d{4}-\d{2}-\d{2}-OMICS-monthly-call\.csv$/);
  const csv = (await fs.readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '').trim().split('\n');
  const rows = csv.slice(1).map((line) => line.split(',')).filter((r) => r[0] === 'attended');
  expect(csv[0]).toBe('Status,Name,Email,Country,Organisation,Role,First joined,Last left,Minutes present,Sessions,Joined – left,Late,Present at end,Time zone');
  expect(rows.map((r) => [r[1], r[3]])).toEqual([
    [CHAIR.name, 'IT'],
    [CONTRIBUTOR.name, 'DE'],
    [OBSERVER.name, 'FR'],
  ]);
  const [, jonasRow, camilleRow] = rows as [string[], string[], string[]];
  // Joined in this order; Camille left before Jonas's connection went away.
  expect(jonasRow[6]! <= camilleRow[6]!).toBe(true);
  expect(camilleRow[7]! <= jonasRow[7]!).toBe(true);
  expect(camilleRow[7]).not.toBe('');
  expect(jonasRow.at(-2)).toBe('no');
  expect(jonasRow.at(-1)).toMatch(/^Europe\/Rome \(UTC\+0[12]:00\)$/);
  // Times are the chair's (Rome): the CSV shows the same clock time as the panel, with seconds.
  const leftShown = (await leaver(chair, CONTRIBUTOR.name).textContent())!.match(/left (\d\d:\d\d)/)![1]!;
  expect(jonasRow[7]!).toMatch(new RegExp(` ${leftShown}:\\d\\d$`));

  // The readable summary, with the chair's cookie.
  const summaryHref = await chair.getByRole('link', { name: /^Download summary \(Markdown\)/ }).getAttribute('href');
  expect(summaryHref).toContain('tz=Europe%2FRome');
  const summary = await chair.request.get(summaryHref!);
  expect(summary.ok()).toBe(true);
  expect(await summary.text()).toContain('# OMICS monthly call');

  // The chair ends the meeting; it is listed with its record.
  await chair.getByRole('button', { name: 'End meeting' }).click();
  await chair.getByRole('dialog', { name: 'End the meeting?' }).getByRole('button', { name: 'End meeting' }).click();
  await expect(chair.getByText(/^This meeting ended at \d\d:\d\d\.$/)).toBeVisible();
  await expect(banner(france)).toHaveCount(0);
  await chair.getByRole('button', { name: 'Close meeting panel' }).click();
  const pastRow = chair.getByTestId('past-meetings').getByRole('row').filter({ hasText: 'OMICS monthly call' }).first();
  await expect(pastRow).toContainText('3');
  await pastRow.getByRole('button', { name: 'Attendance of “OMICS monthly call”' }).click();
  const details = chair.getByRole('dialog', { name: 'Attendance: OMICS monthly call' });
  await expect(details.getByRole('row')).toHaveCount(4);
  await expect(details.getByRole('link', { name: /^Download CSV/ })).toBeVisible();
  await chair.screenshot({ path: path.join(screenshots, 'meeting-attendance.png') });

  // A member sees the record too, without the export.
  const frRow = france.getByTestId('past-meetings').getByRole('row').filter({ hasText: 'OMICS monthly call' }).first();
  await frRow.getByRole('button', { name: 'Attendance of “OMICS monthly call”' }).click();
  const frDetails = france.getByRole('dialog', { name: 'Attendance: OMICS monthly call' });
  await expect(frDetails.getByRole('row')).toHaveCount(4);
  await expect(frDetails.getByRole('link', { name: /Download/ })).toHaveCount(0);
});

test('an attendee who follows the chair is taken to the document and the section the chair is on', async ({ openAs, createDocument, cast }) => {
  const doc = await createDocument({ title: 'Network plan — walk-through' });
  const chair = await openAs(CHAIR);
  const germany = await openAs(CONTRIBUTOR);
  await startMeeting(chair, cast.workspaceId, 'Walk through the call', {
    agenda: [{ title: 'Who can apply', document: doc.title, section: 'Who may apply' }, { title: 'Any other business' }],
  });
  await germany.goto(`/w/${cast.workspaceId}`);
  await banner(germany).getByRole('button', { name: /^Join/ }).click();
  const heading = (section: string) => editor(germany).locator('h2', { hasText: section });
  /** How far below the top of the editor's view a section's heading is (0: at the top). */
  const offsetFromTop = async (section: string): Promise<number> => {
    const view = (await germany.locator('.doc__scroll').boundingBox())!;
    return (await heading(section).boundingBox())!.y - view.y;
  };

  // The agenda links to its sections.
  const agenda = germany.getByRole('region', { name: 'Agenda' });
  await expect(agenda.getByRole('listitem')).toHaveText([/^Who can apply/, 'Any other business']);
  await agenda.getByRole('link', { name: 'Go to “Who may apply”' }).click();
  await expect(germany).toHaveURL(new RegExp(`${doc.path}$`));
  await expect(heading('Who may apply')).toBeInViewport();

  const follow = germany.getByRole('button', { name: 'Follow the chair' });
  await follow.click();
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  await expect(banner(germany)).toContainText(`You are following ${CHAIR.name}`);

  // The chair is on the workspace page: that is where Germany's view goes first.
  await expect(germany).toHaveURL(new RegExp(`/w/${cast.workspaceId}$`));

  // The chair opens the draft and writes under "Data protection": Germany's view goes there.
  await openDocument(chair, doc);
  await expect(germany).toHaveURL(new RegExp(`${doc.path}$`));
  await paragraphUnderSection(chair, 'Data protection').click();
  await expect(heading('Data protection')).toBeInViewport();
  await germany.screenshot({ path: path.join(screenshots, 'meeting-follow.png') });

  // Back up to "Scope and objectives".
  await paragraphUnderSection(chair, 'Scope and objectives').click();
  await expect(heading('Scope and objectives')).toBeInViewport();
  // The view scrolled back up: the section is at the top (with a wide editor the short
  // template may show "Data protection" further down at the same time).
  await expect.poll(() => offsetFromTop('Scope and objectives')).toBeLessThan(60);

  // Stop following: the chair moves on, Germany's view stays.
  await follow.click();
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
  await paragraphUnderSection(chair, 'Data protection').click();
  await expect(attendee(germany, CHAIR.name).getByTestId('location')).toContainText('Data protection');
  await expect(heading('Scope and objectives')).toBeInViewport();
});

test('the home page shows a meeting in progress, and a reload within the grace period is not recorded as leaving', async ({ openAs, cast }) => {
  const chair = await openAs(CHAIR);
  const germany = await openAs(CONTRIBUTOR);
  await germany.goto('/');
  const card = germany.getByRole('link', { name: new RegExp(WORKSPACE_TITLE.replace(/[()]/g, '\\$&')) });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('meeting-badge')).toHaveCount(0);

  await startMeeting(chair, cast.workspaceId, 'Reconnect check');
  await expect(card.getByTestId('meeting-badge')).toHaveText('Meeting in progress');
  await card.click();
  await banner(germany).getByRole('button', { name: /^Join/ }).click();
  await expect(attendee(chair, CONTRIBUTOR.name)).toBeVisible();

  // A reload drops the connection; the page joins again by itself.
  await germany.reload();
  await expect(banner(germany).getByRole('button', { name: 'Open meeting panel' })).toBeVisible();
  // Wait out the server's grace period: still one unbroken attendance.
  await germany.waitForTimeout(GRACE_MS + 1000);
  await expect(attendee(chair, CONTRIBUTOR.name)).toBeVisible();
  await expect(chair.getByTestId('meeting-left')).toHaveCount(0);
  const csvHref = await chair.getByRole('link', { name: /^Download CSV/ }).getAttribute('href');
  const csv = await (await chair.request.get(csvHref!)).text();
  const row = csv.split('\n').find((line) => line.startsWith(`attended,${CONTRIBUTOR.name},`))!.split(',');
  expect(row[9]).toBe('1'); // sessions
  expect(row[7]).toBe(''); // not left
});

test('a member who hides from presence lists is still counted in a meeting they join', async ({ openAs, cast }) => {
  const chair = await openAs(CHAIR);
  const germany = await openAs(CONTRIBUTOR);
  await germany.goto(`/w/${cast.workspaceId}`);
  await germany.getByRole('button', { name: CONTRIBUTOR.name }).click();
  await germany.getByRole('checkbox', { name: 'Hide me from “Online now” lists' }).check();
  await germany.keyboard.press('Escape');

  await startMeeting(chair, cast.workspaceId, 'Privacy check');
  await expect(chair.getByRole('region', { name: /^Online now/ })).toContainText('Nobody else is here right now');
  await banner(germany).getByRole('button', { name: /^Join/ }).click();
  await expect(attendee(chair, CONTRIBUTOR.name)).toContainText('Germany');
  await expect(attendee(chair, CONTRIBUTOR.name).getByTestId('location')).toHaveText('Location not shared');
  await expect(chair.getByRole('heading', { name: 'Here now (2)' })).toBeVisible();
  await expect(chair.getByRole('region', { name: /^Online now/ }).getByRole('listitem')).toHaveCount(0);

  // Keyboard: Escape closes the panel and puts focus back on the banner's button.
  await chair.getByRole('heading', { level: 2, name: 'Privacy check' }).focus();
  await chair.keyboard.press('Escape');
  await expect(chair.getByTestId('meeting-panel')).toHaveCount(0);
  await expect(banner(chair).getByRole('button', { name: 'Open meeting panel' })).toBeFocused();
  await chair.keyboard.press('Enter');
  await expect(chair.getByRole('heading', { level: 2, name: 'Privacy check' })).toBeFocused();
});
