import { useEffect, useState } from 'react'
import { formatElapsed } from '../../shared/clock'
import { type Comparison, comparisonMarkdown, differenceWords, durationWords, measureRows, mergedTimeline } from '../../shared/drill-comparison'
import { fetchComparison } from '../app/api'
import { navigate } from '../app/router'
import { hostToken } from '../app/session'
import { PaneState } from '../common/PaneState'
import { errorMessage } from '../common/useAction'
import './drill.css'
import { saveFile } from '../common/download'

type Load = { state: 'loading' } | { state: 'ready'; comparison: Comparison } | { state: 'error'; message: string }

/** Save the comparison as a Markdown file, for the debrief's notes. */
const download = (comparison: Comparison): void => saveFile(`${comparison.drill.id}-comparison.md`, comparisonMarkdown(comparison), 'text/markdown')

const Entry = ({ entry }: { entry: Comparison['drill']['timeline'][number] | undefined }) =>
  entry ? (
    <>
      {entry.starred && <span aria-label="starred">★ </span>}
      <strong>{entry.author}</strong> {entry.text}
    </>
  ) : null

/** `/drill/<id>/compare`: the drill beside its original, for the debrief (host token). */
export const ComparisonPage = ({ drillId }: { drillId: string }) => {
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  useEffect(() => {
    let cancelled = false
    void (async () => {
      const token = await hostToken()
      if (!token) throw new Error('The comparison needs the host token: open it from the host’s start page.')
      const comparison = await fetchComparison(token, drillId)
      if (!cancelled) setLoad({ state: 'ready', comparison })
    })().catch((error: unknown) => !cancelled && setLoad({ state: 'error', message: errorMessage(error) }))
    return () => {
      cancelled = true
    }
  }, [drillId])
  return (
    <main className="page drill-compare">
      <header className="home-header">
        <h1>Drill beside the original</h1>
        <p>
          <a href={`/drill/${drillId}`} onClick={(e) => (e.preventDefault(), navigate(`/drill/${drillId}`))}>
            Drill control
          </a>
        </p>
      </header>
      {load.state === 'loading' && <PaneState kind="loading" title="Comparing the boards…" />}
      {load.state === 'error' && (
        <PaneState kind="error" title="The comparison could not be made">
          <p>{load.message}</p>
        </PaneState>
      )}
      {load.state === 'ready' && (
        <>
          <section className="card" aria-labelledby="measures-heading">
            <h2 id="measures-heading">{load.comparison.drill.title}</h2>
            <p className="muted">
              Original: {load.comparison.original.title}. Times are since each board was declared.
            </p>
            <table className="compare-table">
              <caption className="visually-hidden">Measures, original and drill</caption>
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col">Original</th>
                  <th scope="col">Drill</th>
                  <th scope="col">Difference</th>
                </tr>
              </thead>
              <tbody>
                {measureRows(load.comparison).map((row) => (
                  <tr key={row.label}>
                    <th scope="row">{row.label}</th>
                    <td>{durationWords(row.original)}</td>
                    <td>{durationWords(row.drill)}</td>
                    <td>{differenceWords(row)}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">Updates on cadence / late</th>
                  <td>
                    {load.comparison.original.updates.onCadence} / {load.comparison.original.updates.late}
                  </td>
                  <td>
                    {load.comparison.drill.updates.onCadence} / {load.comparison.drill.updates.late}
                  </td>
                  <td />
                </tr>
              </tbody>
            </table>
            <button type="button" onClick={() => download(load.comparison)}>
              Download as Markdown
            </button>
          </section>
          <section className="card drill-script" aria-labelledby="timelines-heading">
            <h2 id="timelines-heading">Both timelines</h2>
            <table className="compare-table compare-timelines">
              <caption className="visually-hidden">Both timelines on one time axis</caption>
              <thead>
                <tr>
                  <th scope="col">Since declared</th>
                  <th scope="col">Original</th>
                  <th scope="col">Drill</th>
                </tr>
              </thead>
              <tbody>
                {mergedTimeline(load.comparison).map((row, i) => (
                  <tr key={i}>
                    <th scope="row">+{formatElapsed(row.offsetMs)}</th>
                    <td>
                      <Entry entry={row.original} />
                    </td>
                    <td>
                      <Entry entry={row.drill} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </main>
  )
}
