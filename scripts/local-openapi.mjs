// Writes the local REST server's OpenAPI document (src/local/openapi.ts, `localRestOpenApi`) to
// playground/local-rest.openapi.json, the spec the playground's APIs are typed from
// (`rest.<name>.openapi`). Run after changing src/local/openapi.ts: `node scripts/local-openapi.mjs`.
import { writeFileSync } from 'node:fs'
import { createJiti } from 'jiti'

const jiti = createJiti(import.meta.url)
const { localRestOpenApi } = await jiti.import('../src/local/openapi.ts')
writeFileSync(new URL('../playground/local-rest.openapi.json', import.meta.url), `${JSON.stringify(localRestOpenApi, null, 2)}\n`)
