/**
 * Comments are plain text: markup in a comment (or in the passage it quotes) is shown as
 * written and never runs — in the thread, the notification, the home page and the
 * workspace's open threads. Only http(s)/mailto addresses become links.
 */
import type { Page } from '@playwright/test';
import { editor, expect, openDocument, paragraphUnderSection, test, typeInto } from '../fixtures';
import { CHAIR, CONTRIBUTOR } from '../people';

const HOSTILE_PASSAGE = '<img src=x onerror="window.__xss=\'quote\'">';
const HOSTILE_BODY = [
  `@${CHAIR.name} please check: <img src=x onerror="window.__xss='img';alert('img')">`,
  `<script>window.__xss='script';alert('script')</script>`,
  `[the rules](javascript:window.__xss='link') javascript:alert('js')`,
  'Background: https://jane-project.eu/survivorship.',
].join('\n');

/** Records any dialog a script might open, and dismisses it so the test goes on. */
function watchForScripts(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

async function noScriptRan(page: Page, dialogs: string[]): Promise<void> {
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
}

test('markup in a comment is shown literally and never runs, wherever the comment appears', async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Data protection draft' });
  const author = await openAs(CONTRIBUTOR);
  const reader = await openAs(CHAIR);
  const authorDialogs = watchForScripts(author);
  const readerDialogs = watchForScripts(reader);
  await openDocument(author, doc);

  // A passage that itself looks like markup, typed into the draft.
  const paragraph = paragraphUnderSection(author, 'Data protection');
  await typeInto(author, paragraph, `Applicants may paste ${HOSTILE_PASSAGE} into forms.`);
  await paragraph.evaluate((element, wanted) => {
    const node = [...element.childNodes].find((n) => n.textContent?.includes(wanted))!;
    const range = document.createRange();
    const at = node.textContent!.indexOf(wanted);
    range.setStart(node, at);
    range.setEnd(node, at + wanted.length);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  }, HOSTILE_PASSAGE);
  await author.keyboard.press('Control+Alt+M');
  const input = author.getByTestId('new-thread').getByRole('textbox', { name: 'Your comment' });
  await expect(input).toBeFocused();
  await input.fill(HOSTILE_BODY);
  await author.getByTestId('new-thread').getByRole('button', { name: 'Comment' }).click();

  const shown = HOSTILE_BODY; // the mention token is shown as "@Name" again
  await expect(author.getByTestId('thread').getByTestId('comment-body')).toHaveText(shown);

  // Someone else opens the document: the same text, inert.
  await openDocument(reader, doc);
  const thread = reader.getByTestId('thread');
  const body = thread.getByTestId('comment-body');
  await expect(body).toHaveText(shown);
  await expect(thread).toContainText(HOSTILE_PASSAGE); // the quote
  await expect(editor(reader).locator('.comment-highlight')).toHaveText(HOSTILE_PASSAGE);
  await expect(reader.locator('#side-panel-comments img, #side-panel-comments script, #document-editor img')).toHaveCount(0);
  await expect(body.locator('.mention')).toHaveText(`@${CHAIR.name}`);
  // Exactly one link: the https address, opened safely in a new tab.
  const links = body.locator('a');
  await expect(links).toHaveCount(1);
  await expect(links).toHaveAttribute('href', 'https://jane-project.eu/survivorship');
  await expect(links).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  await expect(links).toHaveAttribute('target', '_blank');
  // The javascript: text is only text; clicking it does nothing.
  await body.getByText("javascript:alert('js')", { exact: false }).click();
  await noScriptRan(reader, readerDialogs);

  // The notification excerpt, the home page and the workspace's open threads: text too.
  await reader.getByTestId('notifications-bell').click();
  await expect(reader.getByTestId('notification').first()).toContainText(`<img src=x onerror="window.__xss='img';alert('img')">`);
  await expect(reader.locator('#notifications-panel img, #notifications-panel script')).toHaveCount(0);
  if (process.env.SHOTS) await reader.screenshot({ path: `${process.env.SHOTS}/bell.png` });
  await reader.keyboard.press('Escape');

  await reader.goto('/');
  await expect(reader.getByTestId('my-mentions')).toContainText(`<img src=x onerror="window.__xss='img';alert('img')">`);
  await expect(reader.getByTestId('my-threads').getByTestId('comment-body').first()).toContainText(`<script>window.__xss='script';alert('script')</script>`);
  await expect(reader.locator('main img, main script')).toHaveCount(0);
  if (process.env.SHOTS) await reader.screenshot({ path: `${process.env.SHOTS}/home.png`, fullPage: true });

  await reader.goto(`/d/${doc.id}`);
  await reader.getByRole('link', { name: 'Omic technologies (OMICS Network of Excellence for Cancer)' }).click();
  await reader.getByTestId('open-threads-link').click();
  const summary = reader.getByTestId('thread-summary').filter({ hasText: doc.title });
  await expect(summary).toContainText(HOSTILE_PASSAGE);
  await expect(summary.getByTestId('comment-body')).toContainText(`<script>window.__xss='script';alert('script')</script>`);
  if (process.env.SHOTS) await reader.screenshot({ path: `${process.env.SHOTS}/threads.png`, fullPage: true });
  await expect(reader.locator('main img, main script')).toHaveCount(0);

  await noScriptRan(reader, readerDialogs);
  await noScriptRan(author, authorDialogs);
});
