// One palette for the board and the status page (shared/palette.ts): the
// board's tokens.css declares exactly its colours, no other stylesheet has a
// raw colour, font size or spacing of its own, the pairs of text and
// background the screens use pass WCAG AA, and the status page is drawn in
// the same colours.
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { PALETTE, type PaletteName, paletteDeclarations } from '../../shared/palette'
import { renderStatusPage } from '../../shared/status-page'
import { PERSON_COLORS } from '../../shared/people'

const renderer = fileURLToPath(new URL('../../renderer', import.meta.url))
const tokensCss = readFileSync(join(renderer, 'tokens.css'), 'utf8')
const withoutComments = (css: string): string => css.replace(/\/\*[\s\S]*?\*\//g, '')

const stylesheets = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? stylesheets(join(dir, entry.name)) : entry.name.endsWith('.css') ? [join(dir, entry.name)] : [],
  )

const COLOUR = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(/gi

/** WCAG 2.x relative luminance and contrast ratio of two opaque #rrggbb colours. */
const luminance = (hex: string): number => {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

describe('the palette and the board\u2019s tokens', () => {
  it('tokens.css declares every colour of shared/palette.ts, with its value, in its order, and no other colour', () => {
    const declared = withoutComments(tokensCss)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^--[a-z0-9-]+:/.test(line) && (line.match(COLOUR) ?? []).length > 0)
    // On a failure, the expected list is what to write into tokens.css's colour block.
    expect(declared).toEqual(paletteDeclarations())
  })

  it('no other stylesheet has a colour, a font size or a spacing of its own', () => {
    const files = stylesheets(renderer).filter((f) => !f.endsWith(`${join('renderer', 'tokens.css')}`))
    expect(files.length).toBeGreaterThan(0)
    const strays: string[] = []
    for (const file of files) {
      withoutComments(readFileSync(file, 'utf8'))
        .split('\n')
        .forEach((line, i) => {
          const where = `${relative(renderer, file)}:${i + 1}: ${line.trim()}`
          if (COLOUR.test(line)) strays.push(`colour ${where}`)
          COLOUR.lastIndex = 0
          const declaration = /^\s*([a-z-]+)\s*:\s*([^;]+);/.exec(line)
          if (!declaration) return
          const [, property, value] = declaration as unknown as [string, string, string]
          // Sizes are tokens or relative to the element's own text (em, %); never rem or px of their own.
          if (property === 'font-size' && !/^(var\(--(text|canvas-text)-[a-z0-9]+\)|[0-9.]+(em|%)|inherit)$/.test(value.trim())) strays.push(`font size ${where}`)
          // Spacing between and around things is the scale; a control's inset may follow its text in em.
          if (/^(margin|padding|gap|row-gap|column-gap)(-[a-z]+)?$/.test(property) && /\d(rem|px)\b/.test(value) && !/clamp\(/.test(value)) strays.push(`spacing ${where}`)
        })
    }
    expect(strays).toEqual([])
  })

  it('text passes WCAG AA (4.5:1) on every surface it is drawn on; lines and icons that carry meaning 3:1', () => {
    const text: Array<[PaletteName, PaletteName]> = []
    const surfaces: PaletteName[] = ['bg', 'panel', 'panel-2']
    const onSurfaces: PaletteName[] = ['text', 'muted', 'accent', 'focus', 'danger', 'danger-text', 'warn', 'ok', 'progress', 'event-text', 'sev2', 'kind-note', 'kind-decision', 'kind-action', 'kind-observation', 'kind-event']
    for (const fg of onSurfaces) for (const bg of surfaces) text.push([fg, bg])
    // Dark text on a filled chip, a pressed toggle or a badge.
    for (const bg of ['sev1', 'sev2', 'sev3', 'sev4', 'sev5', 'accent', 'danger', 'kind-note', 'kind-decision', 'kind-action', 'kind-observation'] as const) text.push(['bg', bg])
    text.push(
      ['text', 'primary'],
      ['text', 'surface-accent'],
      ['muted', 'surface-accent'],
      ['text', 'surface-danger'],
      ['muted', 'surface-danger'],
      ['danger', 'surface-danger'],
      ['danger-text', 'surface-danger'],
      ['text', 'surface-danger-strong'],
      ['muted', 'surface-danger-strong'],
      ['danger', 'surface-danger-strong'],
      ['danger-text', 'surface-danger-strong'],
      ['text', 'surface-warn'],
      ['warn', 'surface-warn'],
      ['text', 'surface-warn-strong'],
      ['warn', 'surface-warn-strong'],
      ['text', 'surface-ok'],
      ['muted', 'surface-ok'],
      ['text', 'surface-focus'],
      ['focus', 'surface-focus'],
      ['warn', 'surface-focus'],
      ['danger', 'surface-focus'],
      ['text', 'surface-starred'],
      ['event-text', 'surface-starred'],
      ['text', 'status-operational'],
      ['text', 'status-degraded'],
      ['text', 'status-partial'],
      ['text', 'status-major'],
    )
    const meaningful: Array<[PaletteName, PaletteName]> = [
      ['edge', 'panel'],
      ['ok-dim', 'panel'],
      ['ok-dim', 'panel-2'],
      ['danger', 'panel'],
      ['warn', 'panel'],
      ['focus', 'panel-2'],
      ['primary-border', 'panel'],
    ]
    const failing = [
      ...text.filter(([fg, bg]) => contrast(PALETTE[fg], PALETTE[bg]) < 4.5).map(([fg, bg]) => `text ${fg} on ${bg}: ${contrast(PALETTE[fg], PALETTE[bg]).toFixed(2)}`),
      ...meaningful.filter(([fg, bg]) => contrast(PALETTE[fg], PALETTE[bg]) < 3).map(([fg, bg]) => `${fg} on ${bg}: ${contrast(PALETTE[fg], PALETTE[bg]).toFixed(2)}`),
    ]
    expect(failing).toEqual([])
    // The primary button, which was 4.15:1 with #1f6feb.
    expect(contrast(PALETTE.text, PALETTE.primary)).toBeGreaterThanOrEqual(5)
    // People's names are written in their colour on panels, and on the red and amber of an overdue card.
    const nameSurfaces = ['panel', 'panel-2', 'surface-danger-strong', 'surface-warn-strong', 'surface-starred', 'surface-accent'] as const
    const weak = PERSON_COLORS.flatMap((c) => nameSurfaces.filter((s) => contrast(c, PALETTE[s]) < 4.5).map((s) => `${c} on ${s}: ${contrast(c, PALETTE[s]).toFixed(2)}`))
    expect(weak).toEqual([])
  })

  it('the status page is drawn in the same palette, and in no colour of its own', () => {
    const html = renderStatusPage({ title: 'Checkout failing' }, [], Date.now())
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? ''
    const colours = [...style.matchAll(COLOUR)].map((m) => m[0].toLowerCase())
    const palette = new Set<string>(Object.values(PALETTE))
    expect(colours.filter((c) => !palette.has(c))).toEqual([])
    for (const name of ['bg', 'text', 'muted', 'danger', 'warn', 'accent', 'ok', 'border'] as const) expect(style).toContain(PALETTE[name])
  })
})
