// What the shared state needs from the `amplify` storage mount, read off the mounted driver:
// the mount itself, an atomic claim where the driver has one (Redis `SET NX PX`), and whether the
// driver is this process's memory (then entries are removed by ttl here, and credentials stay in
// the process's bounded cache instead). Takes unstorage's `Storage`; no Nuxt.
import type { Storage } from 'unstorage'
import type { SharedStateOptions } from './shared-state'

export const MOUNT = 'amplify'

export interface MountInfo extends Pick<SharedStateOptions, 'storage' | 'claim' | 'expireLocally'> {
  /** The driver's name (`memory`, `redis`, …), or undefined when nothing is mounted at `amplify`. */
  driver: string | undefined
  /** True when every instance of the app sees the same entries (any driver but memory). */
  shared: boolean
}

interface RedisLike {
  set: (key: string, value: string, px: 'PX', ttl: number, nx: 'NX') => Promise<'OK' | null>
  on?: (event: 'error', listener: () => void) => void
  listenerCount?: (event: 'error') => number
}

export function mountInfo(root: Storage, mount = MOUNT): MountInfo {
  const found = root.getMount(mount)
  const own = found.base === `${mount}:`
  const driver = own ? found.driver : undefined
  const name = driver?.name
  const base = String((driver?.options as { base?: string } | undefined)?.base ?? '').replace(/:$/, '')
  const instance = name === 'redis' ? (driver?.getInstance?.() as RedisLike | undefined) : undefined
  // ioredis prints every failed reconnect unless someone listens; the shared state logs once per outage.
  if (instance?.on && instance.listenerCount?.('error') === 0) instance.on('error', () => {})
  const prefixed = root as unknown as { getItem: Storage['getItem'], setItem: Storage['setItem'], removeItem: Storage['removeItem'] }
  return {
    driver: name,
    shared: !!driver && name !== 'memory',
    expireLocally: !driver || name === 'memory',
    storage: {
      getItem: key => prefixed.getItem(`${mount}:${key}`),
      setItem: (key, value, options) => prefixed.setItem(`${mount}:${key}`, value, options),
      removeItem: key => prefixed.removeItem(`${mount}:${key}`),
    },
    ...(instance
      ? { claim: async (key: string, value: string, ttlMs: number) => (await instance.set(base ? `${base}:${key}` : key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK' }
      : {}),
  }
}
