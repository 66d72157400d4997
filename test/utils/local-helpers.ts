// Helpers for tests of the local backend (test/local/**): raw protocol calls a
// real client would make, so the tests see the backend the way Amplify does.

import { connect, createServer, type Server, type Socket } from 'node:net'
import { signRequest } from '@aws-amplify/core/internals/aws-client-utils'
import type { LocalBackend, LocalUser } from '../../src/local'
import type { ResourcesConfig } from 'aws-amplify'
import { toResourcesConfig } from '../../src/runtime/shared/amplify-config'
import { mergeOptions } from '../../src/options'

export interface Tokens { idToken: string, accessToken: string, refreshToken: string }

/** USER_PASSWORD_AUTH through the refresh proxy, like Amplify's signIn but without its global state. */
export async function initiateAuth(backend: LocalBackend, user: Pick<LocalUser, 'username' | 'password'>): Promise<Tokens> {
  const out = await jsonCall(backend.urls.userPool, 'AWSCognitoIdentityProviderService.InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: backend.amplify.auth.userPoolClientId,
    AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
  })
  if (out.status !== 200) throw new Error(`InitiateAuth answered ${out.status}: ${JSON.stringify(out.body)}`)
  const result = (out.body as { AuthenticationResult: { IdToken: string, AccessToken: string, RefreshToken: string } }).AuthenticationResult
  return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken }
}

/** One JSON 1.1 POST (the protocol of Cognito user and identity pools). */
export async function jsonCall(url: string, target: string, input: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
    body: JSON.stringify(input),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) as Record<string, unknown> : {} }
}

export interface SigningCredentials { accessKeyId: string, secretAccessKey: string, sessionToken?: string }

/**
 * Signs like Amplify's REST client does (same signer, service `execute-api`),
 * and returns what to hand to fetch.
 */
export function amplifySign(input: {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
  credentials: SigningCredentials
  region?: string
  signingDate?: Date
}): { url: string, init: RequestInit, headers: Record<string, string> } {
  const url = new URL(input.url)
  const signed = signRequest({
    url,
    method: input.method ?? 'GET',
    headers: { ...input.headers },
    ...(input.body === undefined ? {} : { body: input.body }),
  }, {
    credentials: input.credentials,
    signingRegion: input.region ?? 'us-east-1',
    signingService: 'execute-api',
    ...(input.signingDate ? { signingDate: input.signingDate } : {}),
  })
  // fetch sets Host itself (and refuses to be told); it sends the same value.
  const { host: _host, ...headers } = signed.headers
  const init: RequestInit = { method: input.method ?? 'GET', headers, ...(input.body === undefined ? {} : { body: input.body }) }
  return { url: url.toString(), init, headers }
}

/** Changes one character of the signature, keeping it valid hex. */
export function tamperSignature(authorization: string): string {
  return authorization.replace(/Signature=([0-9a-f])/, (_, c: string) => `Signature=${c === '0' ? '1' : '0'}`)
}

export async function fetchJson(url: string, init?: RequestInit) {
  const res = await fetch(url, init)
  const text = await res.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : null
  }
  catch {
    // keep text
  }
  return { status: res.status, headers: res.headers, body: body as Record<string, unknown> & unknown[] }
}

/** True if something accepts TCP connections on host:port. */
export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Holds a port so a fixed-port start has to fail. */
export async function occupyPort(host = '127.0.0.1'): Promise<{ port: number, close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, host, resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  return {
    port: address.port,
    close: () => new Promise((resolve) => {
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
    }),
  }
}

export function portOf(url: string): number {
  return Number(new URL(url).port)
}

export function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'))
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** Amplify's resource config for the backend, built the way the module builds it from its options. */
export function amplifyConfigFor(backend: LocalBackend): ResourcesConfig {
  return toResourcesConfig(mergeOptions(backend.amplify).options)
}
