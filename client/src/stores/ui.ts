/** Page chrome shared by all views: the breadcrumb in the top bar and the window title. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { t } from '../i18n';

export interface Crumb {
  label: string;
  /** Route path; the last crumb (the current page) has none. */
  to?: string;
}

export const useUiStore = defineStore('ui', () => {
  const breadcrumb = ref<Crumb[]>([]);

  function setPage(crumbs: Crumb[]): void {
    breadcrumb.value = crumbs;
    const title = crumbs.length > 0 ? crumbs[crumbs.length - 1]!.label : '';
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  }

  return { breadcrumb, setPage };
});
