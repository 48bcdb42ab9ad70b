/** A chair sets a quorum during a running meeting; attendees see whether it is met. */
import { expect, test } from '../fixtures';
import { endRunningMeetings } from '../meetings';
import { CHAIR, CONTRIBUTOR } from '../people';

test('a chair sets the quorum of a running meeting and everyone sees whether it is met', async ({ adminApi, cast, openAs }) => {
  await endRunningMeetings(adminApi, cast.workspaceId);
  const chair = await openAs(CHAIR);
  const member = await openAs(CONTRIBUTOR);
  await chair.goto(`/w/${cast.workspaceId}`);
  await chair.getByRole('button', { name: 'Start a meeting' }).click();
  const dialog = chair.getByRole('dialog', { name: 'Start a meeting' });
  await dialog.getByLabel('Title').fill('Quorum check');
  await dialog.getByRole('button', { name: 'Start meeting' }).click();
  await expect(chair.getByTestId('quorum')).toHaveCount(0);

  await member.goto(`/w/${cast.workspaceId}`);
  await member.getByRole('region', { name: 'Meeting in progress' }).getByRole('button', { name: /^Join/ }).click();
  // Contributors cannot change it.
  await expect(member.getByRole('button', { name: 'Set a quorum' })).toHaveCount(0);

  await chair.getByRole('button', { name: 'Set a quorum' }).click();
  await chair.getByLabel('Minimum number of countries', { exact: true }).fill('2');
  await chair.getByRole('button', { name: 'Save' }).click();
  // Chair (IT) and contributor (DE): two countries.
  await expect(chair.getByTestId('quorum')).toContainText('Quorum met');
  await expect(member.getByTestId('quorum')).toContainText('Quorum met');

  await chair.getByRole('button', { name: 'Change the quorum' }).click();
  await chair.getByLabel('Minimum number of countries', { exact: true }).fill('3');
  await chair.getByRole('button', { name: 'Save' }).click();
  await expect(member.getByTestId('quorum')).toContainText('Quorum not met');
  await expect(member.getByTestId('quorum')).toContainText('3 needed');
  await endRunningMeetings(adminApi, cast.workspaceId);
});
