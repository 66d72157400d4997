// `npm run dev`: the local backend (cognito-local, identity pool, REST server) on loopback, then the
// playground's dev server pointed at it through AMPLIFY_LOCAL_OPTIONS. Ctrl-C stops both.
import { spawn } from 'node:child_process'
import { startLocalBackend } from '../dist/local.mjs'

// `npm run dev -- --server-session`: the playground with amplify.session 'server' (see the README's
// "Session modes"), plus carol, a user whose first sign-in asks for a new password.
const serverSession = process.argv.includes('--server-session')
// `npm run dev -- --storage`: also the local S3 stand-in; the browser must map its host name (printed below).
const storage = process.argv.includes('--storage') && !serverSession
const args = process.argv.slice(2).filter(arg => arg !== '--server-session' && arg !== '--storage')
const backend = await startLocalBackend(serverSession
  ? { users: [
      { username: 'alice', password: 'Passw0rd!alice', groups: ['admin'] },
      { username: 'bob', password: 'Passw0rd!bob' },
      { username: 'carol', password: 'Temp0rary!carol', newPasswordRequired: true },
    ] }
  // Browser session: also the GraphQL endpoint (Gen 2 Data) and a Cognito domain (social sign-in).
  : { graphql: true, oauth: { callbackUrls: devOrigins().map(origin => `${origin}/`), logoutUrls: devOrigins().map(origin => `${origin}/`) }, storage })
console.log(`[local backend] user pool ${backend.urls.userPool}, identity ${backend.urls.identity}, REST ${backend.urls.rest}`)
if (backend.graphql && backend.oauth) console.log(`[local backend] GraphQL ${backend.graphql.url}, Cognito domain https://${backend.oauth.domain} (self-signed certificate: see the README's Gen 2 section)`)
if (backend.storage) {
  console.log(`[local backend] Storage: bucket ${backend.storage.bucket} at ${backend.storage.url}, listening on 127.0.0.1:${backend.storage.port}. Open the playground in a Chromium started with`)
  console.log(`  --host-resolver-rules="MAP ${backend.storage.host} 127.0.0.1:${backend.storage.port}" --ignore-certificate-errors --user-data-dir=$(mktemp -d)`)
}
console.log(`[local backend] users: ${backend.users.map(u => `${u.username} / ${u.password}`).join(', ')}`)

// npm puts node_modules/.bin (nuxi, and Node 22) first on the PATH of scripts.
const nuxi = spawn('nuxi', ['dev', 'playground', ...args], {
  stdio: 'inherit',
  env: {
    ...process.env,
    AMPLIFY_LOCAL_OPTIONS: JSON.stringify(backend.amplify),
    // The custom tokens the playground offers (server/api/local-users.get.ts).
    PLAYGROUND_LOCAL_USERS: JSON.stringify(backend.users.map(({ username, customToken }) => ({ username, customToken }))),
    ...(serverSession ? { AMPLIFY_SESSION: 'server' } : {}),
    // The playground's Gen 2 panel (playground/amplify-options.ts); Amplify's redirect must match the dev server's origin.
    ...(backend.graphql && backend.oauth
      ? { AMPLIFY_LOCAL_GEN2: JSON.stringify({ dataUrl: backend.graphql.url, apiKey: backend.graphql.apiKey, oauthDomain: backend.oauth.domain, redirectUris: backend.oauth.callbackUrls, ...(backend.storage ? { storage: { bucket: backend.storage.bucket, region: backend.storage.region } } : {}) }) }
      : {}),
    // The dev server reaches the bucket's S3 host name at the local server (SSR storage calls).
    ...(backend.storage
      ? {
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${new URL('../test/utils/s3-host.mjs', import.meta.url).href}`.trim(),
          LOCAL_S3_HOST_MAP: JSON.stringify({ host: backend.storage.host, port: backend.storage.port, certificate: backend.storage.certificate }),
        }
      : {}),
  },
})

/** The dev server's origins: nuxi's --port (or PORT, else 3000) on localhost and 127.0.0.1. */
function devOrigins() {
  const flag = args.findIndex(arg => arg === '--port' || arg === '-p')
  const port = (flag >= 0 ? args[flag + 1] : undefined) ?? args.find(arg => arg.startsWith('--port='))?.slice(7) ?? process.env.PORT ?? '3000'
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`]
}

let stopping = false
async function stop(code = 0) {
  if (stopping) return
  stopping = true
  nuxi.kill('SIGTERM')
  await backend.stop()
  process.exit(code)
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))
nuxi.on('exit', code => stop(code ?? 0))
