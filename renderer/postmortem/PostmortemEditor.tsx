import { defaultKeymap, indentWithTab } from '@codemirror/commands'
import { markdown } from '@codemirror/lang-markdown'
import { EditorState } from '@codemirror/state'
import { EditorView, keymap } from '@codemirror/view'
import { useEffect, useRef } from 'react'
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next'
import * as Y from 'yjs'
import { PALETTE } from '../../shared/palette'
import { postmortemText } from '../../shared/schema'
import type { BoardConnection } from '../sync/board-connection'

/** Dark, large and high contrast like the board; the others' cursors carry their names (y-codemirror.next). */
const theme = EditorView.theme(
  {
    '&': { color: PALETTE.text, backgroundColor: PALETTE.bg, fontSize: '1.05rem', height: '100%' },
    '.cm-content': { fontFamily: "ui-monospace, 'DejaVu Sans Mono', monospace", caretColor: PALETTE.focus, padding: '0.75rem 0' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: PALETTE.focus, borderLeftWidth: '2px' },
    '&.cm-focused': { outline: `3px solid ${PALETTE.focus}` },
    '.cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection': { backgroundColor: PALETTE['chart-night'] },
    '.cm-scroller': { overflow: 'auto' },
  },
  { dark: true },
)

/**
 * The postmortem's text in CodeMirror 6, bound to the incident's Y.Text: every
 * keystroke is shared, and each person's cursor and selection show with their
 * name. Tab indents; Escape then Tab leaves the editor (CodeMirror's rule).
 */
export const PostmortemEditor = ({ connection }: { connection: BoardConnection }) => {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const text = postmortemText(connection.doc)
    // Undo takes back only this person's own edits, never someone else's.
    const undoManager = new Y.UndoManager(text)
    const view = new EditorView({
      parent: box.current!,
      state: EditorState.create({
        doc: text.toString(),
        extensions: [
          keymap.of([...yUndoManagerKeymap, ...defaultKeymap, indentWithTab]),
          markdown(),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': 'Postmortem text (Markdown)' }),
          theme,
          yCollab(text, connection.awareness, { undoManager }),
        ],
      }),
    })
    // Reachable by Tab like any scrolling region (WCAG 2.1.1): axe does not count the contenteditable inside as its focusable content.
    view.scrollDOM.tabIndex = 0
    return () => {
      view.destroy()
      undoManager.destroy()
    }
  }, [connection])
  return <div ref={box} className="postmortem-editor" />
}
