// The proxy's byte counting (shared/proxy-stream.ts): bodies and answers pass through untouched up
// to the limit, and are cut with PayloadTooLargeError once they pass it, without being read whole.
import { describe, expect, it, vi } from 'vitest'
import { PayloadTooLargeError } from '../../src/runtime/shared/errors'
import { assertDeclaredLength, limitBytes, newCutMark, readLimited, readProxyAnswer, upstreamUrl } from '../../src/runtime/shared/proxy-stream'

/** A stream of the given chunks that notes how many the consumer pulled. */
function chunks(...parts: string[]) {
  const pulled = { count: 0, cancelled: false }
  const bytes = parts.map(p => new TextEncoder().encode(p))
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = bytes[pulled.count++]
      if (next) controller.enqueue(next)
      else controller.close()
    },
    cancel() {
      pulled.cancelled = true
    },
  }, { highWaterMark: 0 })
  return { stream, pulled }
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<{ text: string, error?: unknown }> {
  const reader = stream.getReader()
  let text = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { text }
      text += new TextDecoder().decode(value)
    }
  }
  catch (error) {
    return { text, error }
  }
}

describe('limitBytes', () => {
  it('passes a stream within the limit unchanged (exactly the limit too)', async () => {
    expect(await drain(limitBytes(chunks('abc', 'def').stream, 6, 'response'))).toEqual({ text: 'abcdef' })
  })

  it('past the limit: exactly the limit handed on, then PayloadTooLargeError, the source cancelled and not read further', async () => {
    const { stream, pulled } = chunks('abcd', 'efgh', 'ijkl', 'mnop')
    let told: PayloadTooLargeError | undefined
    const out = await drain(limitBytes(stream, 6, 'request', (error) => {
      told = error
    }))
    expect(out.text).toBe('abcdef')
    expect(out.error).toBeInstanceOf(PayloadTooLargeError)
    expect(out.error).toMatchObject({ direction: 'request', limit: 6, statusCode: 413 })
    expect(told).toBe(out.error)
    expect(pulled.count).toBeLessThanOrEqual(3)
    // pipeThrough cancels the source once the error has travelled back up the pipe.
    await vi.waitFor(() => expect(pulled.cancelled).toBe(true))
  })

  it('past the limit with nobody to tell: PayloadTooLargeError all the same', async () => {
    const out = await drain(limitBytes(chunks('abcd', 'efgh').stream, 6, 'response'))
    expect(out).toMatchObject({ text: 'abcdef', error: { name: 'PayloadTooLargeError', direction: 'response', limit: 6 } })
  })
})

describe('readLimited', () => {
  it('the whole body within the limit; refused as soon as it passes, without reading the rest', async () => {
    expect(new TextDecoder().decode(await readLimited(chunks('ab', 'cd').stream, 4, 'request'))).toBe('abcd')
    const { stream, pulled } = chunks('abc', 'def', 'ghi', 'jkl')
    await expect(readLimited(stream, 4, 'request')).rejects.toMatchObject({ name: 'PayloadTooLargeError', direction: 'request', limit: 4 })
    expect(pulled.count).toBe(2)
    expect(pulled.cancelled).toBe(true)
  })
})

describe('assertDeclaredLength', () => {
  it('refuses a declared length over the limit; none or within passes', () => {
    expect(() => assertDeclaredLength('11', 10, 'response')).toThrow(PayloadTooLargeError)
    expect(() => assertDeclaredLength('10', 10, 'response')).not.toThrow()
    expect(() => assertDeclaredLength(undefined, 10, 'request')).not.toThrow()
    expect(() => assertDeclaredLength(null, 10, 'request')).not.toThrow()
  })
})

describe('readProxyAnswer', () => {
  function streamOf(...parts: string[]) {
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(new TextEncoder().encode(part))
        controller.close()
      },
    })
  }
  function broken(text: string) {
    let sent = false
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new TypeError('terminated'))
        sent = true
        controller.enqueue(new TextEncoder().encode(text))
      },
    }, { highWaterMark: 0 })
  }
  it('text of a whole answer (multi-byte characters across chunks)', async () => {
    const euro = new TextEncoder().encode('€')
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(euro.subarray(0, 1))
        controller.enqueue(euro.subarray(1))
        controller.close()
      },
    })
    expect(await readProxyAnswer(stream, '100', 'mark')).toBe('€')
    expect(await readProxyAnswer(null, '100', 'mark')).toBe('')
  })
  it('exactly the announced limit, then the answer\'s mark, then the end: PayloadTooLargeError', async () => {
    await expect(readProxyAnswer(streamOf('1234', '5678MA', 'RK'), '8', 'MARK')).rejects.toMatchObject({ name: 'PayloadTooLargeError', direction: 'response', limit: 8 })
    await expect(readProxyAnswer(streamOf('12345678MARK'), '8', 'MARK')).rejects.toMatchObject({ name: 'PayloadTooLargeError', limit: 8 })
  })
  it('any other answer is text as it came: the mark at another place, another mark, no mark or no limit announced', async () => {
    expect(await readProxyAnswer(streamOf('1234567MARK'), '8', 'MARK')).toBe('1234567MARK')
    expect(await readProxyAnswer(streamOf('123456789MARK'), '8', 'MARK')).toBe('123456789MARK')
    expect(await readProxyAnswer(streamOf('12345678MARX'), '8', 'MARK')).toBe('12345678MARX')
    expect(await readProxyAnswer(streamOf('12345678MARK'), '8', null)).toBe('12345678MARK')
    expect(await readProxyAnswer(streamOf('12345678null'), '8', null)).toBe('12345678null')
    expect(await readProxyAnswer(streamOf('12345678MARKMARK'), '8', 'MARK')).toBe('12345678MARKMARK')
    expect(await readProxyAnswer(streamOf('12345678MARK'), null, 'MARK')).toBe('12345678MARK')
  })
  it('a stream that breaks is the error as it came, at any length (the caller makes it a NetworkError)', async () => {
    await expect(readProxyAnswer(broken('12345678'), '8', 'MARK')).rejects.toThrow(TypeError)
    await expect(readProxyAnswer(broken('12345678MARK'), '8', 'MARK')).rejects.toThrow(TypeError)
    await expect(readProxyAnswer(broken('1234'), '8', null)).rejects.toThrow(TypeError)
  })
})

describe('newCutMark', () => {
  it('22 URL-safe characters, new each time', () => {
    const marks = new Set(Array.from({ length: 200 }, () => newCutMark()))
    expect(marks.size).toBe(200)
    for (const mark of marks) expect(mark).toMatch(/^[\w-]{22}$/)
  })
})

describe('upstreamUrl', () => {
  it('endpoint + path, the call\'s query merged over the path\'s', () => {
    expect(upstreamUrl('https://api.example.com/prod', '/items?a=1&b=2', { b: '3', c: 'x y' }).href).toBe('https://api.example.com/prod/items?a=1&b=3&c=x+y')
    expect(upstreamUrl('https://api.example.com/prod', '/items').href).toBe('https://api.example.com/prod/items')
  })
})
