// `npm run dev`: the local backend (cognito-local, identity pool, REST server) on loopback, then the
// playground's dev server pointed at it through AMPLIFY_LOCAL_OPTIONS. Ctrl-C stops both.
import { spawn } from 'node:child_process'
import { startLocalBackend } from '../dist/local.mjs'

// `npm run dev -- --server-session`: the playground with amplify.session 'server' (see the README's
// "Session modes"), plus carol, a user whose first sign-in asks for a new password.
const serverSession = process.argv.includes('--server-session')
const args = process.argv.slice(2).filter(arg => arg !== '--server-session')
const backend = await startLocalBackend(serverSession
  ? { users: [
      { username: 'alice', password: 'Passw0rd!alice', groups: ['admin'] },
      { username: 'bob', password: 'Passw0rd!bob' },
      { username: 'carol', password: 'Temp0rary!carol', newPasswordRequired: true },
    ] }
  : {})
console.log(`[local backend] user pool ${backend.urls.userPool}, identity ${backend.urls.identity}, REST ${backend.urls.rest}`)
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
  },
})

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
