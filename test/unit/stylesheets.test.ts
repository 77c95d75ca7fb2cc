// The board's stylesheets: one per pane, imported by that pane's component;
// tokens.css and base.css once, from main.tsx, before any pane; no rule
// written twice; no rule for a class nothing renders.
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const renderer = fileURLToPath(new URL('../../renderer', import.meta.url))

const filesUnder = (dir: string, pick: (name: string) => boolean): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? (entry.name === 'public' ? [] : filesUnder(join(dir, entry.name), pick)) : pick(entry.name) ? [join(dir, entry.name)] : [],
  )

const stylesheets = filesUnder(renderer, (n) => n.endsWith('.css'))
const sources = filesUnder(renderer, (n) => /\.(tsx?|html)$/.test(n)).map((file) => ({ file, text: readFileSync(file, 'utf8') }))

/** Every rule's selectors, each with the at-rules it sits in ("@media (max-width: 1600px)"), in file order. */
const rules = (css: string): Array<{ context: string; selectors: string[] }> => {
  const found: Array<{ context: string; selectors: string[] }> = []
  const stack: string[] = []
  let text = ''
  for (const ch of css.replace(/\/\*[\s\S]*?\*\//g, '')) {
    if (ch === '{') {
      const head = text.trim().replace(/\s+/g, ' ')
      if (!head.startsWith('@') && !stack.some((s) => s.startsWith('@keyframes'))) found.push({ context: stack.join(' '), selectors: head.split(',').map((s) => s.trim()) })
      stack.push(head)
      text = ''
    } else if (ch === '}') {
      stack.pop()
      text = ''
    } else if (ch === ';') text = ''
    else text += ch
  }
  return found
}

/**
 * Every class name a component can render: the words of each className
 * (string, template or expression) and class attribute; a template's
 * `prefix--${…}` stands for every class that starts with that prefix.
 */
const renderedClasses = (): { exact: Set<string>; prefixes: string[] } => {
  const values: string[] = []
  for (const { text } of sources) {
    for (const match of text.matchAll(/\b(?:class|className|nodeClassName)=("([^"]*)"|\{)/g)) {
      if (match[2] !== undefined) {
        values.push(match[2])
        continue
      }
      let depth = 1
      let i = match.index + match[0].length
      const start = i
      while (depth > 0 && i < text.length) {
        if (text[i] === '{') depth++
        else if (text[i] === '}') depth--
        i++
      }
      values.push(text.slice(start, i - 1))
    }
  }
  // Edges and other objects React Flow renders: `className: 'edge--impact'`.
  for (const { text } of sources) for (const match of text.matchAll(/\bclassName: ([^,}\n]+)/g)) values.push(match[1]!)
  const words = values.join(' ').match(/[A-Za-z_][\w-]*(\$\{)?/g) ?? []
  return {
    // `name${cond ? ' is-x' : ''}` renders `name` itself.
    exact: new Set(words.filter((w) => !w.endsWith('--${')).map((w) => w.replace(/\$\{$/, ''))),
    prefixes: words.filter((w) => w.endsWith('--${')).map((w) => w.slice(0, -2)),
  }
}

describe('the board\u2019s stylesheets', () => {
  it('are one per pane, each imported by a component of its own folder; tokens and base once, first, from main.tsx', () => {
    const main = readFileSync(join(renderer, 'main.tsx'), 'utf8')
    const imports = [...main.matchAll(/^import (.*)$/gm)].map((m) => m[1]!)
    expect(imports.indexOf("'./tokens.css'")).toBeGreaterThanOrEqual(0)
    expect(imports.indexOf("'./base.css'")).toBe(imports.indexOf("'./tokens.css'") + 1)
    expect(imports.indexOf("'./base.css'"), 'the base before the app and its panes').toBeLessThan(imports.findIndex((i) => i.includes("'./app/App'")))
    const orphans = stylesheets
      .filter((css) => relative(renderer, css).includes('/'))
      .filter((css) => {
        const name = relative(renderer, css)
        const [folder, file] = name.split('/') as [string, string]
        return !sources.some(({ file: src, text }) => relative(renderer, src).startsWith(`${folder}/`) && text.includes(`import './${file}'`))
      })
      .map((css) => relative(renderer, css))
    expect(orphans).toEqual([])
    expect(stylesheets.filter((css) => !relative(renderer, css).includes('/')).map((css) => relative(renderer, css)).sort()).toEqual(['base.css', 'tokens.css'])
  })

  it('have no rule twice: no selector (or list of selectors) has two rules in the same media or container query', () => {
    const seen = new Map<string, string>()
    const twice: string[] = []
    for (const css of stylesheets) {
      for (const { context, selectors } of rules(readFileSync(css, 'utf8'))) {
        const key = `${context} ${selectors.join(', ')}`.trim()
        const where = relative(renderer, css)
        if (seen.has(key)) twice.push(`${key}: ${seen.get(key)} and ${where}`)
        else seen.set(key, where)
      }
    }
    expect(twice).toEqual([])
  })

  it('have no rule for a class no component renders', () => {
    const { exact, prefixes } = renderedClasses()
    // React Flow's own classes, which its components render.
    const rendered = (name: string): boolean => exact.has(name) || prefixes.some((p) => name.startsWith(p)) || name.startsWith('react-flow')
    const dead: string[] = []
    for (const css of stylesheets) {
      for (const { selectors } of rules(readFileSync(css, 'utf8'))) {
        for (const selector of selectors) {
          for (const [, name] of selector.matchAll(/\.([A-Za-z_][\w-]*)/g)) if (!rendered(name!)) dead.push(`${relative(renderer, css)}: ${selector} (.${name})`)
        }
      }
    }
    expect(dead).toEqual([])
  })
})
