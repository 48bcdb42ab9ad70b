/**
 * Comment threads in the browser: a lead comments on a passage and mentions a
 * contributor, who is told live, answers; the lead resolves; everything is still there
 * after a reload. Section threads from the outline, observers commenting on a read-only
 * draft, editing and deleting, detached threads, and the workspace's open threads.
 */
import type { Locator, Page } from '@playwright/test';
import { editor, expect, expectWritten, openDocument, paragraphUnderSection, test, typeInto, type OpenDocument } from '../fixtures';
import { CHAIR, CONTRIBUTOR, LEAD, OBSERVER } from '../people';

/** Selects `text` inside `within` the way a mouse drag would (the browser's selection), across highlights. */
async function selectText(page: Page, within: Locator, text: string): Promise<void> {
  await within.evaluate((element, wanted) => {
    const nodes: Text[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
    const whole = nodes.map((node) => node.data).join('');
    const at = whole.indexOf(wanted);
    if (at === -1) throw new Error(`"${wanted}" not found in "${whole}"`);
    const locate = (offset: number, preferNext: boolean): [Text, number] => {
      let passed = 0;
      for (const node of nodes) {
        const end = passed + node.data.length;
        if (offset < end || (offset === end && !preferNext)) return [node, offset - passed];
        passed = end;
      }
      const last = nodes[nodes.length - 1]!;
      return [last, last.data.length];
    };
    const range = document.createRange();
    range.setStart(...locate(at, true));
    range.setEnd(...locate(at + wanted.length, false));
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  }, text);
}

const commentsPanel = (page: Page): Locator => page.locator('#side-panel-comments');
const threads = (page: Page): Locator => commentsPanel(page).getByTestId('thread');
const highlights = (page: Page): Locator => editor(page).locator('.comment-highlight:not(.comment-highlight--draft)');
const bellCount = (page: Page): Locator => page.getByTestId('notifications-count');

async function showFilter(page: Page, filter: 'open' | 'resolved' | 'mine' | 'mentions' | 'all'): Promise<void> {
  await commentsPanel(page).getByLabel('Show', { exact: true }).selectOption(filter);
}

test('a lead comments on a passage and mentions a contributor, who is notified live and replies; the lead resolves', async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Call for expressions of interest — survivorship' });
  const lead = await openAs(LEAD);
  const contributor = await openAs(CONTRIBUTOR);
  const pageErrors: string[] = [];
  for (const page of [lead, contributor]) page.on('pageerror', (error) => pageErrors.push(error.message));
  await openDocument(lead, doc);
  await openDocument(contributor, doc);
  await expect(commentsPanel(contributor)).toContainText('No comments yet');

  const criteria = paragraphUnderSection(lead, 'Eligibility and selection criteria');
  await typeInto(lead, criteria, 'Applicants must show five years of activity in survivorship care.');
  await expectWritten(paragraphUnderSection(contributor, 'Eligibility and selection criteria'), 'Applicants must show five years of activity in survivorship care.');

  // Select the passage: a "Comment" button appears next to it.
  await selectText(lead, criteria, 'five years of activity');
  await lead.getByTestId('comment-selection').click();
  const composer = lead.getByTestId('new-thread');
  await expect(composer).toContainText('five years of activity');
  const input = composer.getByRole('textbox', { name: 'Your comment' });
  await expect(input).toBeFocused();

  // @mention with autocomplete by name.
  await input.pressSequentially('@jon');
  await expect(lead.getByRole('option', { name: /Jonas Müller/ })).toBeVisible();
  if (process.env.SHOTS) await lead.screenshot({ path: `${process.env.SHOTS}/mention.png` });
  await input.press('Enter');
  await expect(input).toHaveValue('@Jonas Müller ');
  await input.pressSequentially('is five years enough for the OMICS platforms?');
  await composer.getByRole('button', { name: 'Comment' }).click();

  const leadThread = threads(lead).first();
  await expect(leadThread.getByTestId('comment-body')).toHaveText('@Jonas Müller is five years enough for the OMICS platforms?');
  await expect(highlights(lead)).toHaveText('five years of activity');

  // The contributor sees the highlight and the notification at once, without reloading.
  await expect(highlights(contributor)).toHaveText('five years of activity');
  await expect(threads(contributor)).toHaveCount(1);
  await expect(bellCount(contributor)).toHaveText('1');
  await expect(contributor.getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible();

  await contributor.getByTestId('notifications-bell').click();
  const notification = contributor.getByTestId('notification').first();
  await expect(notification).toContainText(`${LEAD.name} mentioned you in “${doc.title}”`);
  await expect(notification).toContainText('@Jonas Müller is five years enough');
  await notification.click();
  await expect(contributor).toHaveURL(new RegExp(`/d/${doc.id}\\?thread=`));
  await expect(bellCount(contributor)).toHaveCount(0);
  const contributorThread = threads(contributor).first();
  await expect(contributorThread).toBeFocused();
  await expect(contributorThread).toHaveClass(/thread--active/);

  // Clicking the highlight opens its thread too.
  await highlights(contributor).click();
  await expect(contributorThread).toHaveClass(/thread--active/);

  // Only the author, leads and chairs may resolve: the contributor is offered no button.
  await expect(contributorThread.getByRole('button', { name: 'Resolve' })).toHaveCount(0);
  await contributorThread.getByRole('button', { name: 'Reply' }).click();
  const reply = contributorThread.getByRole('textbox', { name: /Reply to the thread/ });
  await expect(reply).toBeFocused();
  await reply.fill('Five years matches the survivorship network.\nSee the annex for the OMICS platforms.');
  await contributorThread.getByRole('button', { name: 'Reply' }).click();
  await expect(contributorThread.getByTestId('comment')).toHaveCount(2);
  if (process.env.SHOTS) await contributor.screenshot({ path: `${process.env.SHOTS}/thread-contributor.png` });

  // The lead gets the reply live, and a reply notification.
  await expect(leadThread.getByTestId('comment-body').nth(1)).toHaveText('Five years matches the survivorship network.\nSee the annex for the OMICS platforms.');
  await expect(bellCount(lead)).toHaveText('1');
  await lead.getByTestId('notifications-bell').click();
  await expect(lead.getByTestId('notification').first()).toContainText(`${CONTRIBUTOR.name} replied in “${doc.title}”`);
  await lead.getByRole('button', { name: 'Mark all read' }).click();
  await expect(bellCount(lead)).toHaveCount(0);
  await expect(lead.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
  await lead.keyboard.press('Escape');
  await expect(lead.getByTestId('notifications-bell')).toBeFocused();

  // Filters: the contributor finds the thread under "Mentioning me"; the lead has no mention.
  await showFilter(contributor, 'mentions');
  await expect(threads(contributor)).toHaveCount(1);
  await showFilter(lead, 'mentions');
  await expect(threads(lead)).toHaveCount(0);
  await expect(commentsPanel(lead)).toContainText('Nobody has mentioned you in this document.');
  await showFilter(lead, 'open');
  await showFilter(contributor, 'open');

  await leadThread.getByRole('button', { name: 'Resolve' }).click();
  for (const page of [lead, contributor]) {
    await expect(highlights(page)).toHaveCount(0);
    await expect(threads(page)).toHaveCount(0);
    await showFilter(page, 'resolved');
    await expect(threads(page)).toHaveCount(1);
    await expect(threads(page).first()).toContainText('Resolved');
    await expect(threads(page).first()).toContainText(`Resolved by ${LEAD.name}`);
  }

  // After a reload everything is still there.
  for (const page of [lead, contributor]) {
    await page.reload();
    await expect(editor(page)).toContainText('five years of activity');
    await expect(highlights(page)).toHaveCount(0);
    await showFilter(page, 'resolved');
    const thread = threads(page).first();
    await expect(thread.getByTestId('comment-body')).toHaveText([
      '@Jonas Müller is five years enough for the OMICS platforms?',
      'Five years matches the survivorship network.\nSee the annex for the OMICS platforms.',
    ]);
  }

  // Reopening brings the highlight back for everyone.
  await threads(lead).first().getByRole('button', { name: 'Reopen' }).click();
  await expect(highlights(contributor)).toHaveText('five years of activity');
  await expect(highlights(lead)).toHaveText('five years of activity');
  expect(pageErrors).toEqual([]);
});

test('an observer comments on a section from the outline and on a passage of the read-only draft', async ({ createDocument, openAs }) => {
  const doc = await createDocument();
  const chair = await openAs(CHAIR);
  const observer = await openAs(OBSERVER);
  await openDocument(chair, doc);
  await openDocument(observer, doc, /^Read-only$/);
  await typeInto(chair, paragraphUnderSection(chair, 'Who may apply'), 'Hospitals designated by their Member State.');
  await expectWritten(paragraphUnderSection(observer, 'Who may apply'), 'Hospitals designated by their Member State.');

  // A whole section, from the comment button beside its heading in the outline.
  await observer.getByRole('button', { name: 'Comment on the section “Who may apply”' }).click();
  const composer = observer.getByTestId('new-thread');
  await expect(composer).toContainText('New comment on this section');
  await composer.getByRole('textbox', { name: 'Your comment' }).fill('Should research institutes apply too?');
  await composer.getByRole('button', { name: 'Comment' }).click();
  const sectionThread = threads(observer).first();
  await expect(sectionThread).toContainText('Section: Who may apply');

  // Everyone sees the section's heading highlighted, and its count in the outline.
  await expect(highlights(chair)).toHaveText('Who may apply');
  await expect(editor(chair).locator('h2 .comment-highlight--section')).toHaveText('Who may apply');
  await expect(chair.getByRole('button', { name: 'Comment on the section “Who may apply” (1 open thread)' })).toBeVisible();

  // A passage: the observer selects text in the read-only editor and comments.
  await expect(editor(observer)).toHaveAttribute('contenteditable', 'false');
  await selectText(observer, paragraphUnderSection(observer, 'Who may apply'), 'designated by their Member State');
  await observer.getByTestId('comment-selection').click();
  await composer.getByRole('textbox', { name: 'Your comment' }).fill('Which authority designates them?');
  await composer.getByRole('button', { name: 'Comment' }).click();
  await expect(threads(chair)).toHaveCount(2);
  // Document order: the heading comes before the paragraph under it.
  await expect(threads(chair).nth(0)).toContainText('Section: Who may apply');
  await expect(threads(chair).nth(1)).toContainText('designated by their Member State');
  await expect(highlights(chair)).toHaveText(['Who may apply', 'designated by their Member State']);
  if (process.env.SHOTS) await chair.screenshot({ path: `${process.env.SHOTS}/section.png` });

  // The observer may resolve a thread they started.
  await threads(observer).nth(0).getByRole('button', { name: 'Resolve' }).click();
  await expect(highlights(chair)).toHaveText(['designated by their Member State']);
  await expect(threads(chair)).toHaveCount(1);
});

test('editing and deleting comments; a thread whose passage is deleted shows as detached with its quote', async ({ createDocument, openAs }) => {
  const doc = await createDocument();
  const lead = await openAs(LEAD);
  const contributor = await openAs(CONTRIBUTOR);
  await openDocument(lead, doc);
  await openDocument(contributor, doc);
  const text = 'Members share anonymised outcome data every quarter. Governance follows the ERN model.';
  await typeInto(lead, paragraphUnderSection(lead, 'Obligations of members and governance'), text);
  await expectWritten(paragraphUnderSection(contributor, 'Obligations of members and governance'), text);

  async function comment(page: Page, passage: string, body: string): Promise<void> {
    await selectText(page, paragraphUnderSection(page, 'Obligations of members and governance'), passage);
    await page.keyboard.press('Control+Alt+M');
    const composer = page.getByTestId('new-thread');
    await composer.getByRole('textbox', { name: 'Your comment' }).fill(body);
    await composer.getByRole('button', { name: 'Comment' }).click();
    await expect(composer).toHaveCount(0);
  }
  await paragraphUnderSection(lead, 'Obligations of members and governance').click();
  await comment(lead, 'Governance follows the ERN model.', 'Which ERN exactly?');
  await comment(lead, 'every quarter', 'Quarterly is a lot of work for small centres.');
  // Document order, not creation order.
  await expect(threads(contributor).nth(0)).toContainText('every quarter');
  await expect(threads(contributor).nth(1)).toContainText('Governance follows the ERN model.');

  const quarterly = threads(contributor).filter({ hasText: 'every quarter' });
  await quarterly.getByRole('button', { name: 'Reply' }).click();
  await quarterly.getByRole('textbox', { name: /Reply to the thread/ }).fill('Twice a year would do.');
  await quarterly.getByRole('button', { name: 'Reply' }).click();
  await expect(quarterly.getByTestId('comment')).toHaveCount(2);

  // The lead edits, then deletes, their own comment; others see it live.
  const leadQuarterly = threads(lead).filter({ hasText: 'every quarter' });
  await expect(leadQuarterly.getByTestId('comment')).toHaveCount(2);
  await expect(leadQuarterly.getByRole('button', { name: `Edit comment by ${CONTRIBUTOR.name}` })).toHaveCount(0);
  await leadQuarterly.getByRole('button', { name: `Edit comment by ${LEAD.name}` }).click();
  const edit = leadQuarterly.getByRole('textbox', { name: 'Edit your comment' });
  await expect(edit).toHaveValue('Quarterly is a lot of work for small centres.');
  await edit.fill('Quarterly reporting is a lot of work for small centres.');
  await leadQuarterly.getByRole('button', { name: 'Save' }).click();
  await expect(quarterly.getByTestId('comment').first()).toContainText('Quarterly reporting is a lot of work for small centres.');
  await expect(quarterly.getByTestId('comment').first()).toContainText('edited');

  await leadQuarterly.getByRole('button', { name: `Delete comment by ${LEAD.name}` }).click();
  await leadQuarterly.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(quarterly.getByTestId('comment').first()).toHaveText('Comment deleted');
  await expect(quarterly.getByTestId('comment').nth(1)).toContainText('Twice a year would do.');

  // The contributor deletes the whole passage of the other thread: it is detached, not lost.
  await paragraphUnderSection(contributor, 'Obligations of members and governance').click();
  await selectText(contributor, paragraphUnderSection(contributor, 'Obligations of members and governance'), ' Governance follows the ERN model.');
  await contributor.keyboard.press('Backspace');
  await expectWritten(paragraphUnderSection(lead, 'Obligations of members and governance'), 'Members share anonymised outcome data every quarter.');
  for (const page of [lead, contributor]) {
    const detached = threads(page).filter({ hasText: 'Which ERN exactly?' });
    await expect(detached).toContainText('Detached');
    await expect(detached).toContainText('Governance follows the ERN model.');
    await expect(detached).toContainText('The text this thread was about has been deleted.');
    // Detached threads go last; the remaining highlight is the other passage.
    await expect(threads(page).last()).toContainText('Which ERN exactly?');
    await expect(highlights(page)).toHaveText(['every quarter']);
  }
  if (process.env.SHOTS) await contributor.screenshot({ path: `${process.env.SHOTS}/detached.png` });
  await lead.reload();
  await expect(threads(lead).filter({ hasText: 'Which ERN exactly?' })).toContainText('Detached');
  await expect(highlights(lead)).toHaveText(['every quarter']);
});

test('the workspace lists its open threads oldest first with document and section, live, linking to each thread', async ({ createDocument, openAs }) => {
  const first = await createDocument({ title: 'Network plan — older questions' });
  const second = await createDocument({ title: 'Network plan — newer questions' });
  const chair = await openAs(CHAIR);
  const contributor = await openAs(CONTRIBUTOR);

  async function sectionThread(page: Page, doc: OpenDocument, section: string, body: string): Promise<void> {
    await openDocument(page, doc);
    await page.getByRole('button', { name: `Comment on the section “${section}”` }).click();
    await page.getByTestId('new-thread').getByRole('textbox', { name: 'Your comment' }).fill(body);
    await page.getByTestId('new-thread').getByRole('button', { name: 'Comment' }).click();
    await expect(threads(page).filter({ hasText: body })).toHaveCount(1);
  }
  await sectionThread(contributor, first, 'Scope and objectives', 'Is paediatric oncology in scope?');
  await sectionThread(contributor, second, 'How to apply', 'Do we need a form in every language?');

  await chair.goto('/');
  await chair.getByRole('link', { name: /Omic technologies/ }).first().click();
  await chair.getByTestId('open-threads-link').click();
  await expect(chair.getByRole('heading', { name: 'Open threads', level: 1 })).toBeVisible();
  const ours = chair.getByTestId('thread-summary').filter({ hasText: /Network plan — (older|newer) questions/ });
  await expect(ours).toHaveCount(2);
  await expect(ours.nth(0)).toContainText('Network plan — older questions');
  await expect(ours.nth(0)).toContainText('Section: Scope and objectives');
  await expect(ours.nth(1)).toContainText('Network plan — newer questions');
  await expect(ours.nth(1)).toContainText('Section: How to apply');

  // A new thread elsewhere appears without a reload.
  await sectionThread(contributor, first, 'Data protection', 'Who is the data controller?');
  await expect(ours).toHaveCount(3);
  await expect(ours.nth(2)).toContainText('Who is the data controller?');

  // The link opens the document with the thread shown.
  await ours.nth(1).getByRole('link', { name: 'Network plan — newer questions' }).click();
  await expect(chair).toHaveURL(new RegExp(`/d/${second.id}\\?thread=`));
  const thread = threads(chair).filter({ hasText: 'Do we need a form in every language?' });
  await expect(thread).toBeFocused();
  await expect(thread).toHaveClass(/thread--active/);
  await expect(editor(chair).locator('.comment-highlight--active')).toHaveText('How to apply');

  // Resolved threads leave the list.
  await thread.getByRole('button', { name: 'Resolve' }).click();
  await chair.goBack();
  await expect(ours).toHaveCount(2);
  await expect(ours.filter({ hasText: 'Do we need a form in every language?' })).toHaveCount(0);
});
