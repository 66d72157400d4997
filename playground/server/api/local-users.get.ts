// Playground only: the local backend's users and the tokens its `custom` API accepts, so the custom
// mode can be tried with one click. `npm run dev` and the e2e set PLAYGROUND_LOCAL_USERS; a real app
// has no such route (its custom tokens come from its own auth system).
export default defineEventHandler((event) => {
  let users: Array<{ username: string, customToken: string }> = []
  try {
    const parsed = JSON.parse(process.env.PLAYGROUND_LOCAL_USERS || '[]')
    if (Array.isArray(parsed)) users = parsed.map(({ username, customToken }) => ({ username: String(username), customToken: String(customToken) }))
  }
  catch {
    // Not set by a launcher we know: no tokens to offer.
  }
  setResponseHeader(event, 'cache-control', 'no-store')
  return { users }
})
