/**
 * Components the first paint of a page does not need, loaded the first time they are
 * shown (Vite puts each in its own chunk and does not preload it with the page; the
 * service worker precaches it after the first paint, so later it comes from the cache).
 *
 * - `lazyPanel`: a part of the page (a side-panel tab). While its code loads — a moment,
 *   and only the first time — it shows "Loading…"; if the code cannot be fetched
 *   (offline before the service worker had it) it says so instead of staying blank.
 * - `lazyDialog`: a modal or other overlay: nothing is shown until it is ready, then it
 *   opens as it always did (or, if its code cannot be fetched, the same message shows in
 *   its place).
 */
import { defineAsyncComponent, h, ref, watch, type Component, type Ref } from 'vue';
import { t } from '../i18n';

const Loading: Component = {
  name: 'LazyLoading',
  render: () => h('p', { class: 'muted small', role: 'status' }, t('common.loading')),
};

const Failed: Component = {
  name: 'LazyFailed',
  render: () => h('p', { class: 'alert alert--error small', role: 'alert' }, t('common.partUnavailable')),
};

/** Loading state shown only if loading takes longer than this (no flash on a cached chunk). */
const LOADING_DELAY_MS = 150;

export function lazyPanel<T extends Component>(loader: () => Promise<T | { default: T }>): T {
  return defineAsyncComponent({ loader, loadingComponent: Loading, errorComponent: Failed, delay: LOADING_DELAY_MS }) as T;
}

export function lazyDialog<T extends Component>(loader: () => Promise<T | { default: T }>): T {
  return defineAsyncComponent({ loader, errorComponent: Failed }) as T;
}

/**
 * True from the first time `source` is truthy on (a dialog asked to open): mount a lazy
 * dialog with `v-if` on this, so its code loads only when it is first needed and it stays
 * mounted — closed — afterwards, as an eagerly loaded one did.
 */
export function shownOnce(source: () => unknown): Readonly<Ref<boolean>> {
  const shown = ref(Boolean(source()));
  if (!shown.value) {
    const stop = watch(source, (value) => {
      if (!value) return;
      shown.value = true;
      stop();
    });
  }
  return shown;
}

/**
 * Resolves with the element once it is in the document (a lazily loaded component has
 * rendered it), or null after `timeoutMs`. Used to move focus into such a component.
 */
export function whenInDocument(id: string, timeoutMs = 10_000): Promise<HTMLElement | null> {
  const now = document.getElementById(id);
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const element = document.getElementById(id);
      if (!element) return;
      finish(element);
    });
    const timer = setTimeout(() => finish(null), timeoutMs);
    function finish(element: HTMLElement | null): void {
      observer.disconnect();
      clearTimeout(timer);
      resolve(element);
    }
    observer.observe(document.body, { childList: true, subtree: true });
  });
}
