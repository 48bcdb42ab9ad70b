/**
 * A yes/no preference of this device (localStorage), as a ref: reading it gives the
 * stored choice, writing it stores the new one. Without storage (private mode) the
 * choice lasts for the page only.
 */
import { ref, watch, type Ref } from 'vue';

export function useStoredFlag(key: string, initial: boolean): Ref<boolean> {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(key);
  } catch {
    stored = null;
  }
  const flag = ref(stored === null ? initial : stored === '1');
  watch(flag, (value) => {
    try {
      localStorage.setItem(key, value ? '1' : '0');
    } catch {
      // storage unavailable: nothing to remember it in
    }
  });
  return flag;
}
