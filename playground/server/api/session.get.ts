// The request's session as the module gives it, returned whole: what a route sends when it returns
// the session object (its tokens are not enumerable, so none is in the JSON).
export default defineEventHandler(event => getServerAmplifySession(event))
