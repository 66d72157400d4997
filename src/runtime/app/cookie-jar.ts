// Amplify's browser CookieStorage, reading `document.cookie` once per task instead of once per key
// (Amplify reads about ten keys per session lookup, each a full read and parse in js-cookie), and
// parsing it again only when the string changed. The snapshot never outlives the task that took it:
// another tab's sign-out or refresh, which reaches this page as another task, is seen by the next
// read. This storage's own writes drop the snapshot at once.
import { CookieStorage } from 'aws-amplify/utils'
import { parseCookieString } from '../shared/cookies'
import { TaskSnapshot } from '../shared/task-snapshot'

export class CachedCookieStorage extends CookieStorage {
  private raw: string | undefined
  private jar = new Map<string, string>()
  private readonly snapshot = new TaskSnapshot(() => {
    const raw = document.cookie
    if (raw !== this.raw) {
      this.jar = parseCookieString(raw)
      this.raw = raw
    }
    return this.jar
  })

  override async getItem(key: string): Promise<string | null> {
    return this.snapshot.get().get(key) ?? null
  }

  override async setItem(key: string, value: string): Promise<void> {
    this.snapshot.drop()
    await super.setItem(key, value)
    this.snapshot.drop()
  }

  override async removeItem(key: string): Promise<void> {
    this.snapshot.drop()
    await super.removeItem(key)
    this.snapshot.drop()
  }

  override async clear(): Promise<void> {
    this.snapshot.drop()
    await super.clear()
    this.snapshot.drop()
  }
}
