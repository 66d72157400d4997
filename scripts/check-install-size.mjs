#!/usr/bin/env node
// What installing nuxt-amplify-rest costs a user (issue 10 §1): a fresh app with nuxt, aws-amplify,
// pinia and @pinia/nuxt (production dependencies only), measured; then the packed module added;
// the difference must stay within 5 MB and 15 packages.
//
//   npm run check:install-size [-- --keep]
//
// Not part of `npm test` / .ci/run: it installs from the npm registry (network, minutes, and the
// registry's newest versions). Run it before a release and when dependencies change.

import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const LIMIT_BYTES = 5_000_000
const LIMIT_PACKAGES = 15
const root = fileURLToPath(new URL('..', import.meta.url))
const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const versions = { ...own.dependencies, ...own.devDependencies }
const keep = process.argv.includes('--keep')

const work = mkdtempSync(join(tmpdir(), 'nar-install-size-'))
const app = join(work, 'app')
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
/** npm pack --json's report: prepack's output (Nuxt prints "[nuxt] ..." lines) comes first on stdout. */
const packJson = out => out.slice(out.search(/^\[\s*$/m))

/** Bytes of every file under dir (apparent size, symlinks not followed). */
function bytes(dir) {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) total += bytes(path)
    else total += lstatSync(path).size
  }
  return total
}

/** Installed packages, from npm's lockfile (`node_modules/...` entries actually on disk: not other platforms' optional binaries). */
function packages() {
  const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'))
  return new Map(Object.entries(lock.packages)
    .filter(([path]) => (path.startsWith('node_modules/') || path.includes('/node_modules/')) && existsSync(join(app, path)))
    .map(([path, meta]) => [path, meta.version]))
}

const mb = n => `${(n / 1e6).toFixed(2)} MB`

try {
  execFileSync('mkdir', ['-p', app])
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'install-size-app', private: true, type: 'module' }, null, 2))
  const base = ['nuxt', 'aws-amplify', 'pinia', '@pinia/nuxt'].map(name => `${name}@${versions[name]}`)
  console.log(`Installing ${base.join(' ')} (production dependencies only) ...`)
  // Install scripts are not run: only what lands on disk is measured.
  npm(['install', '--omit=dev', '--ignore-scripts', ...base], app)
  const before = { bytes: bytes(join(app, 'node_modules')), packages: packages() }
  console.log(`  baseline: ${mb(before.bytes)}, ${before.packages.size} packages`)

  console.log('Packing nuxt-amplify-rest (npm pack runs the build) ...')
  const [report] = JSON.parse(packJson(npm(['pack', '--json', '--pack-destination', work], root)))
  console.log(`  ${report.filename}: ${report.size} bytes packed, ${report.unpackedSize} unpacked, ${report.entryCount} files`)
  npm(['install', '--omit=dev', '--ignore-scripts', join(work, report.filename)], app)
  const after = { bytes: bytes(join(app, 'node_modules')), packages: packages() }

  const added = [...after.packages].filter(([path, version]) => before.packages.get(path) !== version)
  const addedBytes = after.bytes - before.bytes
  console.log(`  with the module: ${mb(after.bytes)}, ${after.packages.size} packages`)
  console.log(`Added: ${mb(addedBytes)} (limit ${mb(LIMIT_BYTES)}), ${added.length} packages (limit ${LIMIT_PACKAGES}):`)
  for (const [path, version] of added) console.log(`  ${path.replace(/^node_modules\//, '')}@${version}`)
  const removed = [...before.packages].filter(([path]) => !after.packages.has(path))
  if (removed.length) console.log(`Gone after adding it (npm re-resolved them): ${removed.map(([path, version]) => `${path.replace(/^node_modules\//, '')}@${version}`).join(', ')}`)

  const problems = []
  if (addedBytes > LIMIT_BYTES) problems.push(`adds ${mb(addedBytes)}, over ${mb(LIMIT_BYTES)}`)
  if (added.length > LIMIT_PACKAGES) problems.push(`adds ${added.length} packages, over ${LIMIT_PACKAGES}`)
  // aws-amplify itself brings @smithy/signature-v4 and @aws-crypto/sha256-js: only adding one counts.
  for (const peer of Object.keys(own.peerDependencies ?? {})) {
    if (added.some(([path]) => path.endsWith(`node_modules/${peer}`))) problems.push(`the optional peer ${peer} was installed with the module`)
  }
  if (problems.length) {
    console.log(`FAIL: ${problems.join('; ')}`)
    process.exitCode = 1
  }
  else {
    console.log('PASS')
  }
}
finally {
  if (keep) console.log(`Kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
