/** Schema migrations, applied in order; `PRAGMA user_version` records how many ran. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    organisation TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    memberships TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT
  );
  CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE memberships (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
  );
  CREATE INDEX memberships_user ON memberships(user_id);
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    title TEXT NOT NULL,
    template TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT
  );
  CREATE INDEX documents_workspace ON documents(workspace_id);
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_updates_doc ON doc_updates(doc_id, seq);
  CREATE TABLE doc_snapshots (
    doc_id TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    title TEXT NOT NULL,
    agenda TEXT NOT NULL,
    quorum_countries INTEGER,
    started_at TEXT NOT NULL,
    started_by TEXT NOT NULL,
    ended_at TEXT
  );
  CREATE INDEX meetings_workspace ON meetings(workspace_id, started_at);
  -- At most one running meeting per workspace.
  CREATE UNIQUE INDEX meetings_running ON meetings(workspace_id) WHERE ended_at IS NULL;
  CREATE TABLE meeting_attendees (
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    country TEXT NOT NULL,
    organisation TEXT NOT NULL,
    role TEXT NOT NULL,
    first_joined_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
  );
  CREATE TABLE meeting_intervals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    left_at TEXT
  );
  CREATE INDEX meeting_intervals_meeting ON meeting_intervals(meeting_id, user_id);
  -- At most one open interval per person and meeting.
  CREATE UNIQUE INDEX meeting_intervals_open ON meeting_intervals(meeting_id, user_id) WHERE left_at IS NULL;
  `,
  `
  CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    anchor TEXT NOT NULL,
    section_title TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    last_activity_at TEXT NOT NULL
  );
  CREATE INDEX threads_document ON threads(document_id, created_at);
  CREATE INDEX threads_workspace ON threads(workspace_id, created_at);
  CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    author_id TEXT NOT NULL,
    body TEXT NOT NULL,
    mentions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    edited_at TEXT,
    deleted_at TEXT
  );
  CREATE INDEX comments_thread ON comments(thread_id, created_at);
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    comment_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
  );
  CREATE INDEX notifications_user ON notifications(user_id, created_at);
  `,
  `
  -- When an attendee's last connection went while the interval is still open (grace period).
  ALTER TABLE meeting_intervals ADD COLUMN disconnected_at TEXT;
  `,
  `
  -- Sections: owner and workflow status per section id (the text is in the document).
  CREATE TABLE sections (
    document_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    owner_id TEXT,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (document_id, section_id)
  );
  CREATE INDEX sections_owner ON sections(owner_id);
  CREATE TABLE section_events (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_value TEXT,
    to_value TEXT,
    at TEXT NOT NULL,
    by TEXT NOT NULL
  );
  CREATE INDEX section_events_document ON section_events(document_id, section_id, at);
  `,
  `
  -- Threads point at sections by id (the title stays as a label).
  ALTER TABLE threads ADD COLUMN section_id TEXT;
  `,
  `
  -- Notifications about sections: thread and comment may be empty, the section is named.
  CREATE TABLE notifications_v2 (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    thread_id TEXT,
    comment_id TEXT,
    section_id TEXT,
    section_title TEXT,
    actor_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
  );
  INSERT INTO notifications_v2 (rowid, id, user_id, kind, workspace_id, document_id, thread_id, comment_id, actor_id, created_at, read_at)
    SELECT rowid, id, user_id, kind, workspace_id, document_id, thread_id, comment_id, actor_id, created_at, read_at FROM notifications;
  DROP TABLE notifications;
  ALTER TABLE notifications_v2 RENAME TO notifications;
  CREATE INDEX notifications_user ON notifications(user_id, created_at);
  `,
  `
  -- The minutes written from a meeting.
  ALTER TABLE meetings ADD COLUMN minutes_document_id TEXT;
  `,
  `
  -- Authored history: every accepted update with its author and time, appended in the same
  -- transaction as doc_updates; compaction never touches it. The cursor is the id.
  CREATE TABLE doc_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_history_doc ON doc_history(doc_id, id);
  -- Versions: points in a document's history; their content is kept apart (never listed).
  CREATE TABLE doc_versions (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    history_cursor TEXT,
    meeting_id TEXT,
    authors TEXT NOT NULL
  );
  CREATE INDEX doc_versions_doc ON doc_versions(doc_id, created_at, id);
  CREATE TABLE doc_version_states (
    version_id TEXT PRIMARY KEY REFERENCES doc_versions(id) ON DELETE CASCADE,
    data BLOB NOT NULL
  );
  -- Up to where each person has seen each document.
  CREATE TABLE doc_visits (
    doc_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    history_cursor TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (doc_id, user_id)
  );
  `,
  `
  -- The update log is the history after a cursor: an append writes one row (doc_history)
  -- instead of two. doc_log_start says where each document's log begins (entries up to
  -- it are folded into its snapshot); doc_updates keeps only what was logged before this
  -- version, until compaction folds it. Every history entry so far is already in the
  -- snapshot or doc_updates (both were written in one transaction), so the log starts
  -- after each document's newest entry.
  CREATE TABLE doc_log_start (
    doc_id TEXT PRIMARY KEY,
    history_id INTEGER NOT NULL
  );
  INSERT INTO doc_log_start (doc_id, history_id) SELECT doc_id, MAX(id) FROM doc_history GROUP BY doc_id;
  `,
];
