// Where a real app would look up its own session (a database, another auth system), the playground
// takes the custom token from a request header, to show the server's one home for it: set here,
// every `custom` call of this request carries it, during SSR (`$restApi`) and in Nitro routes alike.
export default defineEventHandler((event) => {
  const token = getRequestHeader(event, 'x-playground-custom-token')
  if (token) setServerCustomToken(event, token)
})
