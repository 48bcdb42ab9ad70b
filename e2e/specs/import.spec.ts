/** "New draft from file": a contributor imports a Markdown file, reads the report, and the draft opens with its sections. */
import { editor, expect, test } from '../fixtures';
import { CONTRIBUTOR } from '../people';

const MARKDOWN = `# Imported OMICS charter

Some **strong** text, an image ![chart](chart.png) and a [link](https://europa.eu/).

## Members

- Centres
  - Hospitals
- Registries

| Country | Centres |
|---------|---------|
| IT      | 12      |
`;

test('a contributor imports a Markdown file: the report says what was kept and dropped, and the draft opens with its sections', async ({ openAs, cast }) => {
  const page = await openAs(CONTRIBUTOR);
  await page.goto(`/w/${cast.workspaceId}`);
  await page.getByRole('button', { name: 'New draft from file' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New draft from a file' });
  await dialog.getByLabel('Word or Markdown file').setInputFiles({ name: 'charter.md', mimeType: 'text/markdown', buffer: Buffer.from(MARKDOWN) });
  await dialog.getByRole('button', { name: 'Import' }).click();
  const report = dialog.getByRole('status');
  await expect(report).toContainText('“Imported OMICS charter” was created from the file.');
  await expect(report).toContainText('Kept 2 headings, 1 paragraph, 1 list, 1 table, and 1 link. Dropped 1 image.');
  await expect(dialog.getByRole('button', { name: 'Open the document' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Open the document' }).click();

  await expect(page).toHaveURL(/\/d\/[A-Za-z0-9_-]+$/);
  const outline = page.getByRole('navigation', { name: 'Outline' });
  await expect(outline.getByRole('link')).toHaveText(['Imported OMICS charter', 'Members']);
  await expect(editor(page).locator('li li')).toHaveText('Hospitals');
  await expect(editor(page).locator('th').first()).toHaveText('Country');
  await expect(editor(page).getByRole('link', { name: 'link' })).toHaveAttribute('href', 'https://europa.eu/');
});

test('a file that is neither Word nor Markdown is refused with a clear message', async ({ openAs, cast }) => {
  const page = await openAs(CONTRIBUTOR);
  await page.goto(`/w/${cast.workspaceId}`);
  await page.getByRole('button', { name: 'New draft from file' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New draft from a file' });
  await dialog.getByLabel('Word or Markdown file').setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 0xff]) });
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('This file is not a Word (.docx) or Markdown (.md) file.');
});
