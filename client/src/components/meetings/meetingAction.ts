/**
 * What the meeting panel's buttons share: one action at a time, and its error shown in
 * the panel (the server's message, or a generic one).
 */
import { ref, type Ref } from 'vue';
import { RealtimeError } from '../../realtime/socket';
import { t } from '../../i18n';

export interface MeetingAction {
  busy: Ref<boolean>;
  error: Ref<string | null>;
  /** Runs `action` unless another one is running; true when it succeeded. */
  run(action: () => Promise<unknown>): Promise<boolean>;
}

export function useMeetingAction(): MeetingAction {
  const busy = ref(false);
  const error = ref<string | null>(null);

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    error.value = null;
    try {
      await action();
      return true;
    } catch (e) {
      error.value = e instanceof RealtimeError ? e.message : t('error.unexpectedClient');
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, run };
}
