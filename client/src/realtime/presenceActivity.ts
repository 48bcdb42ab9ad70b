/**
 * This tab's own activity, as presence reports it: `away` while the tab is hidden,
 * `idle` after IDLE_AFTER_MINUTES without pointer or keyboard input, `active` otherwise.
 * Only this person's own input counts; the server never guesses.
 */
import { ref, type Ref } from 'vue';
import { IDLE_AFTER_MINUTES, type Activity } from '@jane/shared/core';

const IDLE_AFTER_MS = IDLE_AFTER_MINUTES * 60_000;
/** Input events arrive in bursts (every mouse move); the idle timer is reset at most this often. */
const INPUT_THROTTLE_MS = 1_000;
const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;

export interface ActivityTracker {
  activity: Readonly<Ref<Activity>>;
  stop(): void;
}

export function trackActivity(): ActivityTracker {
  const activity = ref<Activity>(document.visibilityState === 'hidden' ? 'away' : 'active');
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let lastInput = 0;

  function armIdleTimer(): void {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (activity.value === 'active') activity.value = 'idle';
    }, IDLE_AFTER_MS);
  }

  function onInput(): void {
    const now = Date.now();
    // Coming back from idle must show at once; otherwise a reset per second is plenty.
    if (activity.value === 'active' && now - lastInput < INPUT_THROTTLE_MS) return;
    lastInput = now;
    if (document.visibilityState === 'hidden') return;
    activity.value = 'active';
    armIdleTimer();
  }

  function onVisibility(): void {
    if (document.visibilityState === 'hidden') {
      clearTimeout(idleTimer);
      activity.value = 'away';
    } else {
      lastInput = Date.now();
      activity.value = 'active';
      armIdleTimer();
    }
  }

  for (const name of INPUT_EVENTS) window.addEventListener(name, onInput, { capture: true, passive: true });
  document.addEventListener('visibilitychange', onVisibility);
  if (activity.value === 'active') armIdleTimer();

  return {
    activity,
    stop() {
      clearTimeout(idleTimer);
      for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
