/**
 * Keyboard users reach the text at once: a document opens with the caret in the editor,
 * and "Skip to editor" is the first stop of the Tab key on a document page (instead of
 * some 28 presses through the header, title, outline and toolbar).
 */
import { editor, expect, openDocument, saveStatus, test } from '../fixtures';
import { CONTRIBUTOR } from '../people';

test('a document opens with the caret in the editor, ready to type', async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Survivorship network plan' });
  const page = await openAs(CONTRIBUTOR);

  await openDocument(page, doc);
  await expect(editor(page)).toBeFocused();
  await page.keyboard.type('Draft: ');
  await expect(editor(page).locator('h1').first()).toHaveText('Draft: Survivorship network plan');
});

test('"Skip to editor" is the first Tab stop of a document page and puts the caret in the text', async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Palliative care call' });
  const page = await openAs(CONTRIBUTOR);

  // A link to a thread that no longer exists: the page shows why, and leaves focus alone.
  await page.goto(`${doc.path}?thread=deleted-thread`);
  await expect(editor(page)).toContainText(doc.title);
  await expect(saveStatus(page)).toHaveText(/^All changes saved$/);
  await expect(page.getByRole('alert').filter({ hasText: /thread/i })).toBeVisible();
  await expect(editor(page)).not.toBeFocused();

  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to editor' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();

  await page.keyboard.press('Enter');
  await expect(editor(page)).toBeFocused();
  await page.keyboard.type('Final ');
  await expect(editor(page).locator('h1').first()).toHaveText('Final Palliative care call');
});
