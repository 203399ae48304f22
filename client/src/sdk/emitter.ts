/** A listener that receives one event's payload. */
export type Listener<T> = (payload: T) => void;

/**
 * A typed event emitter: `M` maps each event name to its payload type, so `on('typing', p => …)`
 * knows `p`'s shape. A throwing listener does not stop the others; its error is rethrown on a
 * later tick so it still surfaces.
 */
export class Emitter<M extends object> {
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>();

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof M>(event: K, fn: Listener<M[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as Listener<never>);
    return () => set.delete(fn as Listener<never>);
  }

  /** Resolves with the first payload of `event` that satisfies `match`. */
  once<K extends keyof M>(event: K, match: (p: M[K]) => boolean = () => true): Promise<M[K]> {
    return new Promise((resolve) => {
      const off = this.on(event, (p) => {
        if (!match(p)) return;
        off();
        resolve(p);
      });
    });
  }

  emit<K extends keyof M>(event: K, payload: M[K]): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) {
      try {
        (fn as Listener<M[K]>)(payload);
      } catch (err) {
        setTimeout(() => {
          throw err;
        });
      }
    }
  }

  /** Drops every listener (on close). */
  clear(): void {
    this.listeners.clear();
  }
}
