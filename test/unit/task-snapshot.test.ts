import { describe, expect, it } from 'vitest'
import { IDLE_HOPS, TaskSnapshot } from '../../src/runtime/shared/task-snapshot'

const nextTask = () => new Promise(resolve => setTimeout(resolve, 0))
const hops = async (n: number) => {
  for (let i = 0; i < n; i++) await Promise.resolve()
}

describe('TaskSnapshot (one read per task)', () => {
  it('reads once for every get() of one task, across awaits', async () => {
    let reads = 0
    const snapshot = new TaskSnapshot(() => ++reads)
    const seen: number[] = []
    for (let i = 0; i < 10; i++) {
      seen.push(snapshot.get())
      await hops(3)
    }
    expect(seen).toEqual(Array(10).fill(1))
    expect(reads).toBe(1)
  })

  it('reads again in the next task: a change that arrives as a task is seen at once', async () => {
    let source = 'bob'
    const snapshot = new TaskSnapshot(() => source)
    expect(snapshot.get()).toBe('bob')
    await nextTask()
    source = 'signed out' // e.g. another tab's sign-out, delivered as a task
    expect(snapshot.get()).toBe('signed out')
  })

  it('never outlives its task, however busy the microtask queue was', async () => {
    let reads = 0
    const snapshot = new TaskSnapshot(() => ++reads)
    snapshot.get()
    // Reads keep the snapshot alive within the task ...
    for (let i = 0; i < 5; i++) {
      await hops(IDLE_HOPS - 1)
      snapshot.get()
    }
    expect(reads).toBe(1)
    // ... but by the time the next task runs it is gone.
    await nextTask()
    expect(snapshot.holding).toBe(false)
    expect(snapshot.get()).toBe(2)
  })

  it('drops the snapshot after the idle hops within a task, and on drop()', async () => {
    let reads = 0
    const snapshot = new TaskSnapshot(() => ++reads, 4)
    snapshot.get()
    await hops(6)
    expect(snapshot.get()).toBe(2)
    snapshot.drop()
    expect(snapshot.get()).toBe(3)
    await nextTask()
    expect(snapshot.holding).toBe(false)
  })

  it('after its own writes (drop, then read) a snapshot still lasts its idle hops: one read per write', async () => {
    // The cookie storage drops the snapshot on each of its writes and reads again at once, several
    // times in one task (a sign-in writes several cookies): each new snapshot must last as long as
    // the first, not be dropped sooner because an earlier snapshot's watcher is still counting.
    let reads = 0
    const snapshot = new TaskSnapshot(() => ++reads)
    snapshot.get()
    for (let write = 1; write <= 3; write++) {
      snapshot.drop()
      expect(snapshot.get()).toBe(write + 1)
    }
    await hops(IDLE_HOPS - 1)
    expect(snapshot.get()).toBe(4)
    expect(reads).toBe(4)
  })
})
