// Amplify's Auth warns "You are using a custom Amazon Cognito … endpoint" every time it is
// configured, and it is configured once per Amplify context: on the server that is every call and
// credentials check, so the log fills with it (the local backend always uses custom endpoints).
// Each of these warnings is shown once per process (or page); every other console.warn passes.
// Amplify 6.22 writes "custom Amazon Amazon Cognito …" (its target name repeats the word).
const CUSTOM_ENDPOINT = /You are using a custom Amazon (?:Amazon )?Cognito (?:User|Identity) Pool endpoint/

let installed = false

export function warnCustomEndpointsOnce(): void {
  if (installed) return
  installed = true
  const warn = console.warn
  const shown = new Set<string>()
  console.warn = function (this: Console, ...args: unknown[]) {
    const match = typeof args[0] === 'string' ? CUSTOM_ENDPOINT.exec(args[0]) : null
    if (match) {
      if (shown.has(match[0])) return
      shown.add(match[0])
    }
    return warn.apply(this, args)
  }
}
