// A Nitro route using the module's server helpers: the session from the request's cookies, and a
// REST call made with that user's identity.
export default defineEventHandler(async (event) => {
  const session = await getServerAmplifySession(event)
  const verified = session.status === 'signedIn'
    ? await useServerRestApi(event).get('echo', { apiName: 'userPool' })
    : null
  return { status: session.status, username: session.user?.username ?? null, verified }
})
