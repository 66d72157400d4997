// Small helpers shared by the benches: statistics, ports, waiting, machine facts.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (!sorted.length) return Number.NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Quartiles by the same rule as `median`, for the spread of round results. */
export function quartiles(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  const half = Math.floor(sorted.length / 2)
  return {
    q1: median(sorted.slice(0, half)),
    q3: median(sorted.slice(sorted.length % 2 ? half + 1 : half)),
  }
}

export const round = (value, digits = 3) => Number.isFinite(value) ? Number(value.toFixed(digits)) : null

/** zlib's default level (6), which is what servers use for on-the-fly gzip. */
export const gzipSize = buffer => gzipSync(buffer).length

/** A port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Polls `check` until it returns a truthy value; throws `message` after `timeoutMs`. */
export async function waitFor(check, { timeoutMs, intervalMs = 100, message }) {
  const deadline = Date.now() + timeoutMs
  let lastError
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value) return value
    }
    catch (error) {
      lastError = error
    }
    await sleep(intervalMs)
  }
  throw new Error(`${message} (waited ${timeoutMs} ms${lastError ? `; last error: ${lastError.message}` : ''})`)
}

/** Files under `dir`, recursively, skipping build output and dependencies. */
export function listFiles(dir, skip = ['node_modules', '.nuxt', '.output', '.git', '.work']) {
  const files = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.includes(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...listFiles(path, skip))
    else if (entry.isFile()) files.push(path)
  }
  return files.sort()
}

/** A hash of the contents of `paths` (files or directories), to know when a build is stale. */
export function hashInputs(root, paths) {
  const hash = createHash('sha256')
  for (const path of paths) {
    const full = join(root, path)
    const files = statSync(full).isDirectory() ? listFiles(full) : [full]
    for (const file of files) {
      hash.update(relative(root, file))
      hash.update('\0')
      hash.update(readFileSync(file))
      hash.update('\0')
    }
  }
  return hash.digest('hex').slice(0, 16)
}

function git(root, args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  }
  catch {
    return null
  }
}

function packageVersion(root, name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version
  }
  catch {
    return null
  }
}

export function machineInfo(root) {
  const cores = cpus()
  const dirty = git(root, ['status', '--porcelain', '--', 'src'])
  return {
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    loadAverage: loadavg().map(value => round(value, 2)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    versions: {
      'nuxt': packageVersion(root, 'nuxt'),
      'aws-amplify': packageVersion(root, 'aws-amplify'),
      'vite': packageVersion(root, 'vite'),
      'playwright-core': packageVersion(root, 'playwright-core'),
    },
    git: {
      commit: git(root, ['rev-parse', '--short', 'HEAD']),
      // The runtime is measured as it is on disk: say whether that differs from the commit.
      srcChanged: dirty === null ? null : dirty.split('\n').filter(Boolean).length,
      srcHash: hashInputs(root, ['src']),
    },
  }
}
