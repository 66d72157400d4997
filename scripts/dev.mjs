// `npm run dev`: the local backend (cognito-local, identity pool, REST server) on loopback, then the
// playground's dev server pointed at it through AMPLIFY_LOCAL_OPTIONS. Ctrl-C stops both.
import { spawn } from 'node:child_process'
import { startLocalBackend } from '../dist/local.mjs'

const backend = await startLocalBackend()
console.log(`[local backend] user pool ${backend.urls.userPool}, identity ${backend.urls.identity}, REST ${backend.urls.rest}`)
console.log(`[local backend] users: ${backend.users.map(u => `${u.username} / ${u.password}`).join(', ')}`)

// npm puts node_modules/.bin (nuxi, and Node 22) first on the PATH of scripts.
const nuxi = spawn('nuxi', ['dev', 'playground', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: {
    ...process.env,
    AMPLIFY_LOCAL_OPTIONS: JSON.stringify(backend.amplify),
    // The custom tokens the playground offers (server/api/local-users.get.ts).
    PLAYGROUND_LOCAL_USERS: JSON.stringify(backend.users.map(({ username, customToken }) => ({ username, customToken }))),
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
