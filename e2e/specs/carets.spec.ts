/**
 * In a meeting everyone's caret is everyone's traffic: a browser sends its own caret when
 * it moves, and nothing when only colleagues move or type — neither their carets back
 * to the server (the stock y-websocket provider echoes every state it receives) nor its
 * own unchanged caret after each of their keystrokes (y-tiptap re-sends it).
 */
import type { Page } from '@playwright/test';
import { editor, expect, openDocument, paragraphUnderSection, signInThroughUi, test } from '../fixtures';
import { CHAIR, CONTRIBUTOR } from '../people';

/** The awareness entries (client id → state) of one y-websocket frame; null for other frames. */
function awarenessEntries(frame: Buffer): Map<number, unknown> | null {
  let at = 0;
  const uint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = frame[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  if (uint() !== 1) return null; // 1: awareness
  uint(); // length of the update
  const entries = new Map<number, unknown>();
  for (let count = uint(); count > 0; count--) {
    const clientId = uint();
    uint(); // clock
    const length = uint();
    entries.set(clientId, JSON.parse(frame.subarray(at, at + length).toString('utf8')));
    at += length;
  }
  return entries;
}

/** Records the awareness frames a page sends on its document connection. */
function recordSentAwareness(page: Page): Map<number, unknown>[] {
  const sent: Map<number, unknown>[] = [];
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/collab/')) return;
    socket.on('framesent', ({ payload }) => {
      const entries = typeof payload === 'string' ? null : awarenessEntries(payload);
      if (entries) sent.push(entries);
    });
  });
  return sent;
}

test("a browser sends its own caret when it moves, nothing while a colleague moves and types, and keeps showing the colleague's caret", async ({ createDocument, openAnonymous }) => {
  const doc = await createDocument({ title: 'Caret traffic — OMICS network' });
  const italy = await openAnonymous();
  const germany = await openAnonymous();
  await signInThroughUi(italy, CHAIR);
  await signInThroughUi(germany, CONTRIBUTOR);
  const sentByGermany = recordSentAwareness(germany);
  await openDocument(italy, doc);
  await openDocument(germany, doc);

  // Germany puts her caret in a paragraph; Italy sees it.
  await paragraphUnderSection(germany, 'Who may apply').click();
  await expect(italy.locator('.collaboration-carets__label', { hasText: CONTRIBUTOR.name })).toBeVisible();
  // Her caret moves once more: that frame names her own client id.
  const before = sentByGermany.length;
  await germany.keyboard.press('ArrowRight');
  await expect.poll(() => sentByGermany.length).toBeGreaterThan(before);
  const own = [...sentByGermany.at(-1)!.keys()];
  expect(own).toHaveLength(1);
  const germanyId = own[0]!;

  // Italy moves around and types a sentence while Germany only watches.
  const watchingFrom = sentByGermany.length;
  const italianText = 'The network pools omics platforms from twelve Member States.';
  await paragraphUnderSection(italy, 'Background and purpose of the network').click();
  await italy.keyboard.type(italianText, { delay: 25 });
  await italy.keyboard.press('Home');
  await expect(editor(germany)).toContainText(italianText);
  await expect(germany.locator('.collaboration-carets__label', { hasText: CHAIR.name })).toBeVisible();

  // Barrier: Germany moves her caret again, and that frame goes out.
  await germany.keyboard.press('ArrowRight');
  await expect.poll(() => sentByGermany.slice(watchingFrom).length).toBeGreaterThan(0);
  const whileWatching = sentByGermany.slice(watchingFrom);
  // Exactly one frame since she started watching (the barrier's), carrying only her own state.
  expect(whileWatching.map((entries) => [...entries.keys()])).toEqual([[germanyId]]);

  // Germany starts a new paragraph (the caret plugin drops every caret on such a change):
  // Italy's caret is drawn again without Italy moving.
  await germany.keyboard.press('End');
  await germany.keyboard.press('Enter');
  await germany.keyboard.type('A new paragraph.');
  await expect(germany.locator('.collaboration-carets__label', { hasText: CHAIR.name })).toBeVisible();
});
