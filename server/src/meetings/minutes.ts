/**
 * "Create minutes" on a running or past meeting: a meeting-minutes document filled from
 * the server's records — when and by whom it was held, who attended (name, country,
 * organisation, role, joined and left), who did not, the quorum as recorded, the agenda
 * with links to the sections discussed, a discussion section per agenda item, and empty
 * Decisions and Action items (action, owner, due date) for the chair to fill in.
 *
 * A meeting has one minutes document: the first "Create minutes" reserves its id on the
 * meeting, so that two chairs clicking at once get the same document; a later call opens
 * it again. The content is written through the write path like any edit.
 */
import type { DocumentMeta, MeetingState } from '@jane/shared';
import { bold, bulletList, contentUpdate, heading, link, orderedList, paragraph, table, text, type ContentBlock } from '@jane/shared/content';
import type { AppContext } from '../context.js';
import { createDocument, presentDocuments } from '../documents/create.js';
import { newId } from '../ids.js';
import { currentSections } from '../sections/service.js';
import type { UserRecord } from '../storage/port.js';
import { countryName, formatTime, zoneLabel } from './attendance.js';
import type { MeetingService } from './service.js';

/** An agenda item's document and section as they are called now, and a link to them. */
export interface AgendaTarget {
  documentTitle: string;
  sectionTitle: string | null;
  href: string;
}

export interface MinutesFacts {
  state: MeetingState;
  workspaceTitle: string;
  /** By agenda item index, for items that point at a document still in the workspace. */
  agendaTargets: Map<number, AgendaTarget>;
  timeZone: string;
  /** When the minutes were created (a running meeting's attendance is as of then). */
  createdAt: Date;
}

const TITLE_LIMIT = 200;
const ROLE_LABELS: Record<string, string> = { chair: 'Chair', lead: 'Lead', contributor: 'Contributor', observer: 'Observer' };
const roleLabel = (role: string) => ROLE_LABELS[role] ?? role;
const countries = (n: number) => `${n} ${n === 1 ? 'country' : 'countries'}`;

/** "Minutes – Monthly call, 2026-05-01". */
export function minutesTitle(state: MeetingState, timeZone: string): string {
  const title = `Minutes – ${state.meeting.title}, ${formatTime(state.meeting.startedAt, timeZone).slice(0, 10)}`;
  return title.length > TITLE_LIMIT ? `${title.slice(0, TITLE_LIMIT - 1)}…` : title;
}

export function minutesContent({ state, workspaceTitle, agendaTargets, timeZone, createdAt }: MinutesFacts): ContentBlock[] {
  const { meeting } = state;
  const day = (iso: string) => formatTime(iso, timeZone).slice(0, 10);
  // Times on the meeting's day are shown as hours and minutes; others with their date.
  const clock = (iso: string) => (day(iso) === day(meeting.startedAt) ? formatTime(iso, timeZone).slice(11) : formatTime(iso, timeZone));
  const ended = meeting.endedAt !== null;
  const members = state.attendees.length + state.absentees.length;

  const blocks: ContentBlock[] = [
    heading(1, minutesTitle(state, timeZone)),
    paragraph(text('Meeting: ', bold), meeting.title),
    paragraph(text('Workspace: ', bold), workspaceTitle),
    paragraph(
      text('When: ', bold),
      `${day(meeting.startedAt)}, ${clock(meeting.startedAt)}–${ended ? clock(meeting.endedAt!) : `still running at ${clock(createdAt.toISOString())}`} (${zoneLabel(timeZone, meeting.startedAt)})`,
    ),
    paragraph(text('Started by: ', bold), meeting.startedByName),
    heading(2, 'Attendees'),
    paragraph(`${state.attendees.length} of ${members} members attended, from ${countries(state.countriesRepresented.length)} of ${state.workspaceCountries.length}.`),
  ];
  if (state.attendees.length > 0) {
    blocks.push(
      table(
        ['Name', 'Country', 'Organisation', 'Role', 'Joined – left'],
        state.attendees.map((a) => [
          a.late ? `${a.name} (late)` : a.name,
          countryName(a.country),
          a.organisation,
          roleLabel(a.role),
          a.intervals.map((i) => `${clock(i.joinedAt)}–${i.leftAt ? clock(i.leftAt) : ended ? clock(meeting.endedAt!) : 'present'}`).join(', '),
        ]),
      ),
    );
  }
  if (state.absentees.length > 0) {
    blocks.push(
      paragraph(text(ended ? 'Absent: ' : 'Not joined yet: ', bold), `${state.absentees.length} ${state.absentees.length === 1 ? 'member' : 'members'}`),
      table(
        ['Name', 'Country', 'Organisation', 'Role'],
        state.absentees.map((m) => [m.name, countryName(m.country), m.organisation, roleLabel(m.role)]),
      ),
    );
  } else {
    blocks.push(paragraph(text('Absent: ', bold), 'nobody'));
  }
  if (state.quorum.required !== null) {
    const history = state.quorum.timeline.map((change) => `${change.met ? 'reached' : 'lost'} at ${clock(change.at)} (${countries(change.countries)})`);
    blocks.push(
      paragraph(
        text(`Quorum (${countries(state.quorum.required)}): `, bold),
        `${ended ? 'met at the end' : 'met now'}: ${state.quorum.met ? 'yes' : 'no'}; ${history.length > 0 ? history.join(', ') : 'never reached'}.`,
      ),
    );
  }

  blocks.push(heading(2, 'Agenda'));
  if (meeting.agenda.length === 0) blocks.push(paragraph('No agenda was set.'));
  else {
    blocks.push(
      orderedList(
        meeting.agenda.map((item, index) => {
          const target = agendaTargets.get(index);
          if (!target) return [item.title];
          const label = target.sectionTitle ? `${target.documentTitle} › ${target.sectionTitle}` : target.documentTitle;
          return [item.title, ' — ', text(label, link(target.href))];
        }),
      ),
    );
  }

  blocks.push(heading(2, 'Discussion'));
  if (meeting.agenda.length === 0) blocks.push(paragraph());
  for (const item of meeting.agenda) blocks.push(heading(3, item.title), paragraph());

  blocks.push(
    heading(2, 'Decisions'),
    bulletList([[]]),
    heading(2, 'Action items'),
    table(['Action', 'Owner', 'Due date'], [['', '', '']]),
    heading(2, 'Next meeting'),
    paragraph(),
  );
  return blocks;
}

/** What the agenda items point at, as things are called now (documents of other workspaces and gone sections are left out). */
async function agendaTargets(ctx: AppContext, state: MeetingState, baseUrl: string): Promise<Map<number, AgendaTarget>> {
  const ids = [...new Set(state.meeting.agenda.flatMap((item) => (item.documentId ? [item.documentId] : [])))];
  const documents = new Map(
    (await ctx.store.documents.findManyByIds(ids)).filter((d) => d.workspaceId === state.meeting.workspaceId).map((d) => [d.id, d]),
  );
  const sections = new Map<string, Map<string, string>>();
  for (const id of documents.keys()) {
    sections.set(id, new Map((await currentSections(ctx.liveDocuments, id)).map((s) => [s.id, s.title])));
  }
  const targets = new Map<number, AgendaTarget>();
  state.meeting.agenda.forEach((item, index) => {
    const document = item.documentId ? documents.get(item.documentId) : undefined;
    if (!document) return;
    const sectionTitle = item.sectionId ? (sections.get(document.id)?.get(item.sectionId) ?? null) : null;
    const query = sectionTitle && item.sectionId ? `?section=${encodeURIComponent(item.sectionId)}` : '';
    targets.set(index, { documentTitle: document.title, sectionTitle, href: `${baseUrl}/d/${encodeURIComponent(document.id)}${query}` });
  });
  return targets;
}

const WAIT_FOR_OTHER_MS = 10_000;

/**
 * The meeting's minutes: created (201) the first time, the same document (200) after.
 * `baseUrl` makes the agenda's links absolute, so that they work in an exported file too.
 */
export async function writeMinutes(
  ctx: AppContext,
  meetings: MeetingService,
  user: UserRecord,
  meetingId: string,
  options: { timeZone: string; baseUrl: string },
): Promise<{ document: DocumentMeta; created: boolean }> {
  const { meeting, workspace, actor } = await meetings.access(user, meetingId, 'meeting.writeMinutes');
  const existing = async (documentId: string) => {
    const document = await ctx.store.documents.findById(documentId);
    return document ? { document: (await presentDocuments(ctx.store, [document], actor))[0]!, created: false } : null;
  };
  let documentId = meeting.minutesDocumentId;
  let reservedByUs = false;
  if (!documentId) {
    const reserved = newId();
    reservedByUs = await ctx.store.meetings.setMinutes(meetingId, reserved);
    documentId = reservedByUs ? reserved : (await ctx.store.meetings.findById(meetingId))!.minutesDocumentId!;
  }
  if (!reservedByUs) {
    // Created before, or being created right now by someone else: theirs, once written.
    const deadline = Date.now() + WAIT_FOR_OTHER_MS;
    for (;;) {
      const found = await existing(documentId);
      if (found) return found;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  // Reserved by us now, or by a creation that failed half-way: write them.
  const state = await meetings.state(meetingId);
  const blocks = minutesContent({
    state,
    workspaceTitle: workspace.title,
    agendaTargets: await agendaTargets(ctx, state, options.baseUrl),
    timeZone: options.timeZone,
    createdAt: new Date(),
  });
  const record = await createDocument(
    ctx.store,
    ctx.liveDocuments,
    user.id,
    { id: documentId, workspaceId: meeting.workspaceId, title: minutesTitle(state, options.timeZone), template: 'meeting-minutes' },
    contentUpdate(blocks),
  );
  await meetings.publish(meetingId);
  return { document: (await presentDocuments(ctx.store, [record], actor))[0]!, created: true };
}

