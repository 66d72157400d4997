// Writes the README's benchmark table from bench/results.json (`npm run bench:table`; `npm run
// bench` calls it after a full run). The table says which commit and which state of src/ it was
// measured on, so a stale table shows at a glance (`git log -1 --format=%h` against the commit).
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const START = '<!-- bench-table:start (generated from bench/results.json by `npm run bench:table`) -->'
const END = '<!-- bench-table:end -->'

/** The markdown between the markers: the rows that carry a verdict (targets and checks), then the run's facts. */
export function benchTable(results) {
  const rows = (results.table ?? []).filter(row => row.result !== '—')
  const cell = value => String(value).replaceAll('|', '\\|')
  const { machine } = results
  const src = machine.git.srcChanged ? `, plus ${machine.git.srcChanged} uncommitted file(s) under src/` : ''
  return [
    '| bench | candidate | baseline | ratio | target | result |',
    '|---|---|---|---|---|---|',
    ...rows.map(row => `| ${[row.bench, row.candidate, row.baseline, row.ratio, row.target, row.result].map(cell).join(' | ')} |`),
    '',
    `Measured on commit \`${machine.git.commit}\`${src} (src hash \`${machine.git.srcHash}\`), ${results.startedAt.slice(0, 10)}, ${results.seconds} s: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, load ${machine.loadAverage.join(' ')}, Node ${machine.node}, nuxt ${machine.versions.nuxt}, aws-amplify ${machine.versions['aws-amplify']}. Context rows are in bench/results.json.`,
  ].join('\n')
}

export function writeReadmeTable(root, results) {
  const readme = join(root, 'README.md')
  const text = readFileSync(readme, 'utf8')
  const from = text.indexOf(START)
  const to = text.indexOf(END)
  if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} block`)
  writeFileSync(readme, `${text.slice(0, from + START.length)}\n${benchTable(results)}\n${text.slice(to)}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  writeReadmeTable(root, JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8')))
  console.log('README.md: benchmark table written from bench/results.json')
}
