#!/usr/bin/env node
// A brand-new user's first build (issue 10 §9): pack this module, create a Nuxt app in a temp dir
// WITHOUT a lockfile (so npm resolves the registry's newest versions, as `npm create nuxt` does),
// install, build, start, make one SSR call against the offline backend, and say what happened.
//
//   npm run check:fresh-app                      # as a new user gets it today
//   npm run check:fresh-app -- --vite 8.3.8      # with the README's workaround: "overrides": { "vite": "8.3.8" }
//   npm run check:fresh-app -- --keep            # keep the temp app for a look
//   npm run check:fresh-app -- --tarball x.tgz   # use an already packed module instead of packing
//
// Kept out of .ci/run on purpose: it depends on the registry's newest versions (network, minutes,
// and a result that changes without a commit here). Run it before each release.

import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const viteIndex = args.indexOf('--vite')
const vite = viteIndex >= 0 ? args[viteIndex + 1] : undefined
const keep = args.includes('--keep')
const tarballIndex = args.indexOf('--tarball')
const givenTarball = tarballIndex >= 0 ? args[tarballIndex + 1] : undefined

const work = mkdtempSync(join(tmpdir(), 'nar-fresh-app-'))
const app = join(work, 'app')
const npm = (cmd, cwd) => execFileSync('npm', [...cmd, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
/** npm pack --json's report: prepack's output (Nuxt prints "[nuxt] ..." lines) comes first on stdout. */
const packJson = out => out.slice(out.search(/^\[\s*$/m))
const step = text => console.log(`==> ${text}`)

const APP_VUE = `<script setup lang="ts">
const { $restApi } = useNuxtApp()
const { data } = await useAsyncData('echo', () => $restApi.get<{ role: string }>('echo'))
</script>

<template>
  <p data-testid="role">{{ data?.role }}</p>
</template>
`
const NUXT_CONFIG = `export default defineNuxtConfig({
  modules: ['nuxt-amplify-rest'],
  compatibilityDate: '2026-11-01',
  // Placeholders: the check points them at the offline backend through NUXT_PUBLIC_AMPLIFY_* variables.
  amplify: {
    auth: {
      region: 'us-east-1',
      userPoolId: 'us-east-1_placeholder',
      userPoolClientId: 'placeholder',
      identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
      userPoolEndpoint: 'http://127.0.0.1:1',
      identityPoolEndpoint: 'http://127.0.0.1:1',
      authFlowType: 'USER_PASSWORD_AUTH',
    },
    rest: { iam: { endpoint: 'http://127.0.0.1:1/iam' } },
    defaultApi: 'iam',
  },
})
`

/** Module options → NUXT_PUBLIC_AMPLIFY_* (same rule as the module's envSegment). */
function amplifyEnv(options, prefix = 'NUXT_PUBLIC_AMPLIFY') {
  const env = {}
  for (const [key, value] of Object.entries(options)) {
    const name = `${prefix}_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase()}`
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(env, amplifyEnv(value, name))
    else if (value !== undefined) env[name] = String(value)
  }
  return env
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Last lines of a failed command's output, where npm and Nuxt put the reason. */
const tail = error => `${error.stdout ?? ''}\n${error.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n')

let backend
let server
let result = 'FAIL'
try {
  let tarball = givenTarball && resolve(givenTarball)
  if (!tarball) {
    step('npm pack (runs the build)')
    const [report] = JSON.parse(packJson(npm(['pack', '--json', '--pack-destination', work], root)))
    tarball = join(work, report.filename)
  }

  step(`fresh app in ${app}, no lockfile${vite ? `, overrides: { vite: ${vite} }` : ''}`)
  mkdirSync(join(app, 'app'), { recursive: true })
  writeFileSync(join(app, 'package.json'), JSON.stringify({
    name: 'fresh-app', private: true, type: 'module',
    ...(vite ? { overrides: { vite } } : {}),
  }, null, 2))
  writeFileSync(join(app, 'nuxt.config.ts'), NUXT_CONFIG)
  writeFileSync(join(app, 'app', 'app.vue'), APP_VUE)

  step('npm install nuxt@^4 <tarball>; npm i -D the offline backend\'s packages (as the README says)')
  npm(['install', 'nuxt@^4', tarball], app)
  npm(['install', '-D', 'cognito-local', '@smithy/signature-v4', '@aws-crypto/sha256-js'], app)
  const installed = name => JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')).version
  console.log(`    resolved: nuxt ${installed('nuxt')}, vite ${installed('vite')}, aws-amplify ${installed('aws-amplify')}, node ${process.versions.node}`)

  step('nuxt build')
  try {
    execFileSync(process.execPath, [join(app, 'node_modules/nuxt/bin/nuxt.mjs'), 'build'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
  }
  catch (error) {
    console.log(tail(error))
    throw new Error('nuxt build failed (output above)', { cause: error })
  }

  step('start the offline backend (from the installed package) and the built server; one SSR request')
  const local = await import(pathToFileURL(join(app, 'node_modules/nuxt-amplify-rest/dist/local.mjs')).href)
  backend = await local.startLocalBackend({ users: [] })
  const port = await freePort()
  const { auth, rest } = backend.amplify
  server = spawn(process.execPath, [join(app, '.output/server/index.mjs')], {
    cwd: app,
    env: { ...process.env, ...amplifyEnv({ auth, rest: { iam: rest.iam } }), PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  server.stdout.on('data', chunk => (output += chunk))
  server.stderr.on('data', chunk => (output += chunk))
  let html
  for (let attempt = 0; attempt < 120 && html === undefined; attempt++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`)
      html = `${res.status} ${await res.text()}`
    }
    catch {
      await new Promise(resolve => setTimeout(resolve, 250))
    }
  }
  if (html === undefined) throw new Error(`the built server did not answer on port ${port}:\n${output.slice(-2000)}`)
  const role = /data-testid="role"[^>]*>([^<]*)</.exec(html)?.[1]?.trim()
  console.log(`    GET / → ${html.slice(0, 3)}, SSR call to the iam API rendered role ${JSON.stringify(role)}`)
  if (!html.startsWith('200') || role !== 'guest') throw new Error(`expected 200 and role "guest"\n${output.slice(-2000)}`)
  result = 'PASS'
}
catch (error) {
  console.log(`    ${error.stderr ? tail(error) : error.message}`)
}
finally {
  server?.kill()
  await backend?.stop()
  if (keep) console.log(`Kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
console.log(`check:fresh-app ${result}${vite ? ` (with overrides: { vite: ${vite} })` : ''}`)
process.exitCode = result === 'PASS' ? 0 : 1
