/**
 * The one place where a document's `Y.Doc` and its providers live: created when a
 * document page opens, destroyed when it closes. Nothing here is put into reactive
 * state (Vue proxies break Yjs identity checks); the reactive outputs are plain values.
 *
 * - `WebsocketProvider` on `/collab/<id>?ack=1` syncs with the server and carries
 *   awareness (carets, who is here).
 * - `IndexeddbPersistence` keeps every change on this device, so edits made offline
 *   survive a reload and merge when the connection comes back (the provider's sync
 *   step 2 carries them). What arrives from the server is written there in batches
 *   (localCopyWrites.ts).
 * - A counting WebSocket plus the server's MESSAGE_SAVED frames drive an honest
 *   save status (see saveStatus.ts).
 */
import { computed, markRaw, onUnmounted, ref, watch, watchEffect, type Ref } from 'vue';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { CloseCode, COLLAB_ACK_PARAM, MESSAGE_AWARENESS, MESSAGE_SAVED } from '@jane/shared/core';
import { api, ApiError, type DocumentResponse } from '../api';
import { countingWebSocketClass } from './countingWebSocket';
import { sendOwnAwarenessOnly } from './ownAwarenessOnly';
import { flushLocalCopyRecords, hasLocalCopy, recordLocalCopy } from './localCopies';
import { takeLocalCopy } from './earlyLocalCopy';
import { writeReceivedChangesTogether } from './localCopyWrites';
import { identityOf, peopleFromStates, type CollabIdentity, type PresentPerson } from './identity';
import { computeSaveStatus, type SaveStatus } from './saveStatus';

/** Why the document cannot be edited or followed live any more. */
export type CollabProblem = 'signed-out' | 'forbidden' | 'not-found' | 'malformed';

/** Refused connection attempts in a row after which we ask the REST API why. */
const REFUSALS_BEFORE_RECHECK = 3;
const RECHECK_EVERY_REFUSALS = 10;
/** How long the connection waits for this device's copy of the document to load. */
const COPY_WAIT_MS = 1500;
/** Placeholder caret colour until the server tells us ours (it echoes our stamped state). */
const PLACEHOLDER_COLOR = '#1d4e89';

export interface CollabSelf {
  id: string;
  name: string;
  country: string;
  organisation: string;
}

export interface CollabDocOptions {
  documentId: string;
  canEdit: Ref<boolean>;
  self: CollabSelf;
  /** The REST API answered a re-check of our access (e.g. after a permission change). */
  onAccess(response: DocumentResponse): void;
}

export interface CollabDoc {
  doc: Y.Doc;
  provider: WebsocketProvider;
  status: Readonly<Ref<SaveStatus>>;
  connected: Readonly<Ref<boolean>>;
  /** The copy kept on this device has been loaded into the document. */
  loadedLocally: Readonly<Ref<boolean>>;
  /** The server's state has arrived at least once since the page opened. */
  syncedOnce: Readonly<Ref<boolean>>;
  people: Readonly<Ref<PresentPerson[]>>;
  problem: Readonly<Ref<CollabProblem | null>>;
}

function collabServerUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/collab`;
}

function problemForCloseCode(code: number): CollabProblem {
  switch (code) {
    case CloseCode.Unauthorized:
      return 'signed-out';
    case CloseCode.Forbidden:
      return 'forbidden';
    case CloseCode.NotFound:
      return 'not-found';
    default:
      return 'malformed';
  }
}

export function useCollabDoc(options: CollabDocOptions): CollabDoc {
  const { documentId, canEdit, self } = options;

  const connected = ref(false);
  const firstAttempt = ref(true);
  const synced = ref(false);
  const syncedOnce = ref(false);
  const sent = ref(0);
  const acknowledged = ref(0);
  const step2Sent = ref(false);
  const unsentLocalChanges = ref(false);
  /** Edits made here that the server has not confirmed yet (see the recording of copies below). */
  const unconfirmedHere = ref(true);
  const loadedLocally = ref(false);
  const people = ref<PresentPerson[]>([]);
  const problem = ref<CollabProblem | null>(null);

  let currentSocket: WebSocket | null = null;
  let openedCurrentSocket = false;
  let refusalsInARow = 0;
  let destroyed = false;

  // Often loaded already (earlyLocalCopy.ts): the editor is then built with the text in it.
  const copyKeptHere = hasLocalCopy(documentId);
  const copy = takeLocalCopy(documentId);
  const doc = markRaw(copy.doc);
  const persistence = markRaw(copy.persistence);
  performance.mark('jane:collab-start');
  void copy.inDocument.then(() => {
    performance.mark('jane:local-copy-loaded');
    if (!destroyed) loadedLocally.value = true;
  });

  const CountingWebSocket = countingWebSocketClass({
    created(socket) {
      // Counts are per connection, on both sides: start again for every new socket.
      currentSocket = socket;
      openedCurrentSocket = false;
      sent.value = 0;
      acknowledged.value = 0;
      step2Sent.value = false;
    },
    changeSent(socket, isStep2) {
      if (socket !== currentSocket) return;
      sent.value++;
      if (isStep2) {
        step2Sent.value = true;
        // Sync step 2 carries everything the server lacked, offline edits included.
        unsentLocalChanges.value = false;
      }
    },
  });

  const provider = markRaw(
    new WebsocketProvider(collabServerUrl(), documentId, doc, {
      params: { [COLLAB_ACK_PARAM]: '1' },
      WebSocketPolyfill: CountingWebSocket,
      // Tabs sync through the server, never through BroadcastChannel: a tab's status
      // then speaks only for what this tab sent.
      disableBc: true,
      maxBackoffTime: 2500,
      // Connected once this device's copy is in the document (below).
      connect: false,
    }),
  );

  // What the server sends is stored there already: written to this device a moment later.
  const stopLocalCopyWrites = writeReceivedChangesTogether(persistence, doc, provider);

  // The server, told what the copy holds, then sends only what it lacks instead of the
  // whole document on every open. A copy that does not load (a stuck IndexedDB) does not
  // hold the connection back for long, and a first open here (no copy yet) does not wait.
  let connectionStarted = false;
  const startConnection = () => {
    if (connectionStarted || destroyed) return;
    connectionStarted = true;
    provider.connect();
  };
  let copyWait: ReturnType<typeof setTimeout> | undefined;
  if (copyKeptHere) {
    void copy.inDocument.then(startConnection);
    copyWait = setTimeout(startConnection, COPY_WAIT_MS);
  } else {
    startConnection();
  }

  sendOwnAwarenessOnly(provider);

  provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
    const durable = decoding.readVarUint(decoder);
    if (durable > acknowledged.value) acknowledged.value = durable;
  };

  let ownIdentity: CollabIdentity = { ...self, color: PLACEHOLDER_COLOR, readOnly: !canEdit.value };

  /**
   * The server echoes our own awareness state with `user` stamped from the session.
   * Adopting it makes our local state (and the colour others see) match the truth.
   */
  function adoptStampedIdentity(update: Uint8Array): void {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      decoding.readVarUint(decoder); // clock
      const raw = decoding.readVarString(decoder);
      if (clientId !== doc.clientID) continue;
      const stamped = identityOf(JSON.parse(raw) as unknown);
      if (!stamped || stamped.id !== self.id) return;
      ownIdentity = stamped;
      const local = identityOf(provider.awareness.getLocalState());
      if (!local || JSON.stringify(local) !== JSON.stringify(stamped)) provider.awareness.setLocalStateField('user', stamped);
      return;
    }
  }

  provider.messageHandlers[MESSAGE_AWARENESS] = (_encoder, decoder, p) => {
    const update = decoding.readVarUint8Array(decoder);
    try {
      adoptStampedIdentity(update);
    } catch {
      // An undecodable frame is y-protocols' problem below; identity stays as it was.
    }
    awarenessProtocol.applyAwarenessUpdate(p.awareness, update, p);
  };

  provider.awareness.setLocalStateField('user', ownIdentity);

  const refreshPeople = () => {
    people.value = peopleFromStates(provider.awareness.getStates() as Map<number, unknown>, self.id);
  };
  provider.awareness.on('change', refreshPeople);
  refreshPeople();

  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    // (Loading the copy kept here is no edit: whatever it holds goes out in sync step 2.)
    if (origin === provider || origin === persistence) return;
    unconfirmedHere.value = true;
    if (!provider.wsconnected) unsentLocalChanges.value = true;
  });

  async function recheckAccess(): Promise<void> {
    try {
      const response = await api.document(documentId);
      if (!destroyed) options.onAccess(response);
    } catch (error) {
      if (destroyed || !(error instanceof ApiError)) return;
      if (error.status === 401) problem.value = 'signed-out';
      else if (error.status === 403) problem.value = 'forbidden';
      else if (error.status === 404) problem.value = 'not-found';
      // Anything else (network, 5xx): the server is unreachable; keep trying quietly.
      if (problem.value) provider.disconnect();
    }
  }

  provider.on('status', ({ status }) => {
    if (status === 'connected') {
      if (!openedCurrentSocket) performance.mark('jane:connected');
      connected.value = true;
      openedCurrentSocket = true;
      return;
    }
    if (status === 'disconnected') connected.value = false;
  });

  provider.on('sync', (isSynced: boolean) => {
    synced.value = isSynced;
    if (isSynced) {
      if (!syncedOnce.value) performance.mark('jane:server-synced');
      syncedOnce.value = true;
      refusalsInARow = 0;
    }
  });

  provider.on('connection-close', (event) => {
    connected.value = false;
    synced.value = false;
    firstAttempt.value = false;
    if (!event) return; // we closed it ourselves
    if (event.code === CloseCode.DocumentReloaded) {
      // The server reloads the document, or our permissions changed: ask what we may do now.
      void recheckAccess();
      return;
    }
    if (openedCurrentSocket) return;
    // Refused before opening (HTTP 401/403/404 on the upgrade shows up as 1006).
    refusalsInARow++;
    if (refusalsInARow === REFUSALS_BEFORE_RECHECK || (refusalsInARow > REFUSALS_BEFORE_RECHECK && refusalsInARow % RECHECK_EVERY_REFUSALS === 0)) {
      void recheckAccess();
    }
  });

  provider.on('closed', ({ code }) => {
    // 4400–4499: the provider has stopped by itself; reconnecting cannot help.
    problem.value = problemForCloseCode(code);
  });

  const onOnline = () => {
    if (connectionStarted && !problem.value && !provider.wsconnected) provider.connect();
  };
  // A dead network can leave a socket looking open for up to 30 s (y-websocket's
  // watchdog); when the browser knows it is offline, say so at once.
  const onOffline = () => provider.ws?.close();
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);

  const status = computed<SaveStatus>(() =>
    computeSaveStatus({
      canEdit: canEdit.value,
      connected: connected.value,
      firstAttempt: firstAttempt.value,
      synced: synced.value,
      step2Sent: step2Sent.value,
      sent: sent.value,
      acknowledged: acknowledged.value,
      unsentLocalChanges: unsentLocalChanges.value,
    }),
  );

  // Which copies on this device hold unsaved changes (kept at sign-out; see localCopies.ts).
  // A copy counts as holding them until the server has confirmed everything once (after
  // a reload while offline the counters start from zero although changes are waiting),
  // and again from each edit made here until the server has confirmed it. A connection
  // that merely drops changes nothing: signing out closes it before the copies are
  // cleared, and a saved draft must not stay on a shared computer because of that.
  watch(status, (value) => {
    if (value === 'saved' || value === 'read-only') unconfirmedHere.value = false;
  }, { immediate: true });
  const stopRecording = watchEffect(() => recordLocalCopy(documentId, self.id, unconfirmedHere.value));

  onUnmounted(() => {
    destroyed = true;
    clearTimeout(copyWait);
    stopRecording();
    flushLocalCopyRecords(documentId);
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    provider.awareness.off('change', refreshPeople);
    provider.destroy();
    stopLocalCopyWrites();
    void persistence.destroy();
    doc.destroy();
  });

  return {
    doc,
    provider,
    status,
    connected,
    loadedLocally,
    syncedOnce,
    people,
    problem,
  };
}
