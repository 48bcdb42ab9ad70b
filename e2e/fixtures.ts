/**
 * Fixtures: the cast (accounts and memberships, created once per worker through the
 * admin REST API), a fresh document per test, and one browser context per person.
 */
import { expect, request, test as base, type APIRequestContext, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { DocumentMeta, DocumentTemplate, User, WorkspaceSummary } from '@jane/shared';
import { BASE_URL } from './env';
import { ADMIN, MEMBERS, PASSWORD, WORKSPACE_TITLE, type Member, type Person } from './people';

export { expect } from '@playwright/test';

interface Cast {
  workspaceId: string;
}

export interface OpenDocument {
  id: string;
  title: string;
  path: string;
}

export interface Fixtures {
  /** A new account (unique email) with a role in the cast's workspace, for tests that change access. */
  createMember(person: Omit<Member, 'email' | 'password'>): Promise<Member & { id: string }>;
  /** Creates a document in the cast's workspace (as the administrator). */
  createDocument(options?: { title?: string; template?: DocumentTemplate }): Promise<OpenDocument>;
  /** A new browser context signed in as `person` (over REST), with one page; optionally in another time zone or window size. */
  openAs(person: Person, options?: { timezoneId?: string; viewport?: { width: number; height: number } }): Promise<Page>;
  /** A new browser context that is not signed in. */
  openAnonymous(): Promise<Page>;
}

interface WorkerFixtures {
  adminApi: APIRequestContext;
  cast: Cast;
}

async function ok<T>(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<T> {
  if (!response.ok()) throw new Error(`${what} failed: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  adminApi: [
    async ({}, use) => {
      const api = await request.newContext({ baseURL: BASE_URL });
      await ok(await api.post('/api/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } }), 'admin sign-in');
      await use(api);
      await api.dispose();
    },
    { scope: 'worker' },
  ],

  cast: [
    async ({ adminApi }, use) => {
      const { workspaces } = await ok<{ workspaces: WorkspaceSummary[] }>(await adminApi.get('/api/workspaces'), 'list workspaces');
      const workspace = workspaces.find((w) => w.title === WORKSPACE_TITLE);
      if (!workspace) throw new Error(`seeded workspace "${WORKSPACE_TITLE}" is missing`);
      const { users } = await ok<{ users: User[] }>(await adminApi.get('/api/admin/users'), 'list users');
      for (const member of MEMBERS) {
        const existing = users.find((u) => u.email === member.email);
        if (existing) {
          await ok(await adminApi.put(`/api/workspaces/${workspace.id}/members/${existing.id}`, { data: { role: member.role } }), 'set role');
          continue;
        }
        await ok(
          await adminApi.post('/api/admin/users', {
            data: {
              name: member.name,
              email: member.email,
              country: member.country,
              organisation: member.organisation,
              password: member.password,
              memberships: [{ workspaceId: workspace.id, role: member.role }],
            },
          }),
          `create ${member.email}`,
        );
      }
      await use({ workspaceId: workspace.id });
    },
    { scope: 'worker' },
  ],

  createDocument: async ({ adminApi, cast }, use, testInfo) => {
    let count = 0;
    await use(async ({ title, template = 'call-for-expressions-of-interest' } = {}) => {
      const documentTitle = title ?? `Draft ${testInfo.title.slice(0, 60)} ${++count}`;
      const { document } = await ok<{ document: DocumentMeta }>(
        await adminApi.post(`/api/workspaces/${cast.workspaceId}/documents`, { data: { title: documentTitle, template } }),
        'create document',
      );
      return { id: document.id, title: document.title, path: `/d/${document.id}` };
    });
  },

  createMember: async ({ adminApi, cast }, use, testInfo) => {
    let count = 0;
    await use(async (person) => {
      const slug = person.name
        .normalize('NFD')
        .toLowerCase()
        .replace(/[^a-z]+/g, '.')
        .replace(/^\.|\.$/g, '');
      const email = `${slug}.${testInfo.testId.slice(0, 8)}.${++count}@jane.test`;
      const { user } = await ok<{ user: User }>(
        await adminApi.post('/api/admin/users', {
          data: {
            name: person.name,
            email,
            country: person.country,
            organisation: person.organisation,
            password: PASSWORD,
            memberships: [{ workspaceId: cast.workspaceId, role: person.role }],
          },
        }),
        `create ${email}`,
      );
      return { ...person, email, password: PASSWORD, id: user.id };
    });
  },

  openAs: async ({ browser, viewport }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (person, options = {}) => {
      const context = await browser.newContext({ baseURL: BASE_URL, viewport, ...options });
      contexts.push(context);
      await ok(await context.request.post('/api/auth/login', { data: { email: person.email, password: person.password } }), `sign in ${person.email}`);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },

  openAnonymous: async ({ browser, viewport }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({ baseURL: BASE_URL, viewport });
      contexts.push(context);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },
});

/* ----------------------------------------------------------------- page helpers */

/** Signs in through the sign-in screen, as a person would. */
export async function signInThroughUi(page: Page, person: Person): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'My workspaces' })).toBeVisible();
}

export const saveStatus = (page: Page): Locator => page.getByTestId('save-status');
export const editor = (page: Page): Locator => page.locator('#document-editor');

/** A colleague's caret as drawn on `page` (the bar; its name shows while they move or type). */
export const remoteCaret = (page: Page, name: string): Locator =>
  page.locator('.collaboration-carets__caret', { has: page.locator('.collaboration-carets__label', { hasText: name }) });

/** The empty paragraph under the n-th section heading of a template. */
export const paragraphUnderSection = (page: Page, section: string): Locator =>
  editor(page).locator(`h2:has-text("${section}") + p`);

/** The text of `target` as written (other people's carets and their names are drawn outside the text). */
export function writtenText(target: Locator): Promise<string> {
  return target.evaluate((element) => element.textContent ?? '');
}

/** Waits until `target` holds exactly `text`. */
export async function expectWritten(target: Locator, text: string): Promise<void> {
  await expect.poll(() => writtenText(target)).toBe(text);
}

/** Opens a document and waits until the server's state has been shown and saved. */
export async function openDocument(page: Page, doc: OpenDocument, expected: RegExp = /^All changes saved$/): Promise<void> {
  await page.goto(doc.path);
  await expect(editor(page)).toContainText(doc.title);
  await expect(saveStatus(page)).toHaveText(expected);
}

/** Types like a person (key by key) at the end of `target`. */
export async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await target.click();
  await page.keyboard.press('End');
  await page.keyboard.type(text, { delay: 15 });
}
