import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../state/store';

// Re-renders the component whenever the store changes.
export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState<T>(() => store.get());
  useEffect(() => {
    const update = () => setValue(() => store.get());
    // The store may have changed between render and this effect.
    update();
    return store.subscribe(update);
  }, [store]);
  return value;
}
