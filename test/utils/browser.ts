// A real Chromium for e2e tests, found without any download outside the npm registry:
// CHROMIUM_PATH, then a system Chromium/Chrome, then the binary shipped in @sparticuz/chromium.
import { existsSync } from 'node:fs'
import type { Browser, ConsoleMessage, Page } from 'playwright-core'
import { chromium } from 'playwright-core'

const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium']

// The machine's network is closed: without these flags Chromium keeps dialling out and fails.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

export async function findChromium(): Promise<string> {
  if (process.env.CHROMIUM_PATH) {
    if (!existsSync(process.env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist; unset it or point it at a Chromium/Chrome binary`)
    return process.env.CHROMIUM_PATH
  }
  const system = SYSTEM_BROWSERS.find(path => existsSync(path))
  if (system) return system
  const { default: sparticuz } = await import('@sparticuz/chromium')
  return sparticuz.executablePath()
}

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: await findChromium(), headless: true, args: [...ARGS, ...extraArgs] })
}

/** Collects what the page printed, so a test can assert on warnings and leaked secrets. */
export function collectConsole(page: Page): string[] {
  const lines: string[] = []
  page.on('console', (message: ConsoleMessage) => lines.push(`${message.type()}: ${message.text()}`))
  page.on('pageerror', error => lines.push(`pageerror: ${error.message}`))
  return lines
}
