/** Meeting helpers shared by the specs: start one through the UI, end leftovers over REST. */
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import type { MeetingState } from '@jane/shared';
import { expect } from './fixtures';

/** The running meeting's banner (on workspace and document pages). */
export const meetingBanner = (page: Page): Locator => page.getByRole('region', { name: 'Meeting in progress' });

/** A meeting left running by an earlier test would put its banner on every page. */
export async function endRunningMeetings(adminApi: APIRequestContext, workspaceId: string): Promise<void> {
  const response = await adminApi.get(`/api/workspaces/${workspaceId}/meetings`);
  const { meetings } = (await response.json()) as { meetings: MeetingState[] };
  for (const state of meetings.filter((m) => !m.meeting.endedAt)) {
    expect((await adminApi.post(`/api/meetings/${state.meeting.id}/end`)).ok()).toBe(true);
  }
}

export interface MeetingSetup {
  quorum?: number;
  agenda?: { title: string; document?: string; section?: string }[];
}

/** The chair starts a meeting from the workspace page; its panel opens with focus on the title. */
export async function startMeeting(chair: Page, workspaceId: string, title: string, { quorum, agenda = [] }: MeetingSetup = {}): Promise<void> {
  await chair.goto(`/w/${workspaceId}`);
  await chair.getByRole('button', { name: 'Start a meeting' }).click();
  const dialog = chair.getByRole('dialog', { name: 'Start a meeting' });
  await dialog.getByLabel('Title').fill(title);
  for (const [index, item] of agenda.entries()) {
    await dialog.getByRole('button', { name: 'Add an agenda item' }).click();
    await dialog.getByLabel(`Item ${index + 1}`, { exact: true }).fill(item.title);
    if (item.document) await dialog.getByRole('listitem').nth(index).getByLabel('Document').selectOption({ label: item.document });
    if (item.section) {
      // The document's sections as they are now (indented by level), once loaded.
      const select = dialog.getByRole('listitem').nth(index).getByLabel('Section');
      const option = select.locator('option', { hasText: new RegExp(`^\\s*${item.section.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
      await expect(option).toHaveCount(1);
      await select.selectOption((await option.getAttribute('value'))!);
    }
  }
  if (quorum !== undefined) {
    await dialog.getByLabel('Require a minimum number of countries').check();
    await dialog.getByLabel('Minimum number of countries', { exact: true }).fill(String(quorum));
  }
  await dialog.getByRole('button', { name: 'Start meeting' }).click();
  await expect(dialog).toBeHidden();
  await expect(chair.getByRole('heading', { level: 2, name: title })).toBeFocused();
}
