// A value read once per task: `get()` reads it on first use and hands the same snapshot to every
// `get()` of the same microtask checkpoint, i.e. of the same task. It can never outlive that task:
// a watcher microtask keeps re-queuing itself while the snapshot is in use and drops it after
// `idleHops` microtask hops without a `get()`, and the event loop runs every microtask before the
// next task starts. So a change that reaches the page as a task (another tab's cookies, a network
// response) is always seen by the next task's first `get()`. Pure: no DOM, no Nuxt.

/** Microtask hops without a read after which the snapshot is dropped (reads of one lookup are a few hops apart). */
export const IDLE_HOPS = 32

export class TaskSnapshot<T> {
  private value: T | undefined
  private held = false
  private idle = 0
  private watching = false

  constructor(private readonly read: () => T, private readonly idleHops = IDLE_HOPS) {}

  get(): T {
    this.idle = 0
    if (this.held) return this.value as T
    const value = this.read()
    this.value = value
    this.held = true
    if (!this.watching) {
      this.watching = true
      queueMicrotask(this.watch)
    }
    return value
  }

  /** Forgets the snapshot: the next `get()` reads again (after a write of one's own). */
  drop(): void {
    this.held = false
    this.value = undefined
  }

  /** Whether a snapshot is held (for tests). */
  get holding(): boolean {
    return this.held
  }

  private readonly watch = (): void => {
    if (this.held && ++this.idle <= this.idleHops) {
      queueMicrotask(this.watch)
      return
    }
    this.watching = false
    this.drop()
  }
}
