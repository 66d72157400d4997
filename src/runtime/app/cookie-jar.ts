// Amplify's browser CookieStorage, reading `document.cookie` on every get as it does (so another
// tab's sign-out or refresh is seen at once), but parsing it again only when the string changed.
// Amplify reads about ten keys per session lookup, each a full parse of document.cookie in js-cookie.
import { CookieStorage } from 'aws-amplify/utils'
import { parseCookieString } from '../shared/cookies'

export class CachedCookieStorage extends CookieStorage {
  private raw: string | undefined
  private jar = new Map<string, string>()

  override async getItem(key: string): Promise<string | null> {
    const raw = document.cookie
    if (raw !== this.raw) {
      this.jar = parseCookieString(raw)
      this.raw = raw
    }
    return this.jar.get(key) ?? null
  }
}
