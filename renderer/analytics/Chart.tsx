import * as Plot from '@observablehq/plot'
import { useEffect, useRef } from 'react'
import { PALETTE } from '../../shared/palette'

/**
 * One Observable Plot chart, drawn again when its options change (memoise
 * them). Its table sits beside it: the chart is for the eye, the table for
 * exact numbers and for screen readers.
 */
export const Chart = ({ options, label }: { options: Plot.PlotOptions; label: string }) => {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const chart = Plot.plot({ width: 720, ...options, ariaLabel: label, style: { background: 'transparent', color: PALETTE.text, fontSize: '15px' } })
    box.current?.replaceChildren(chart)
    return () => chart.remove()
  }, [options, label])
  return <div ref={box} className="analytics-chart" />
}
