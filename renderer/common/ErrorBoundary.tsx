import { Component, type ReactNode } from 'react'

interface Props {
  /** What failed, in words: "the timeline". */
  what: string
  children: ReactNode
}

/** A pane that throws shows what happened and a way out, never a blank area. */
export class ErrorBoundary extends Component<Props, { error: Error | undefined }> {
  override state = { error: undefined as Error | undefined }

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error }
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children
    return (
      <div role="alert" className="pane-state pane-state--error">
        <h2>Something went wrong in {this.props.what}</h2>
        <p>{this.state.error.message}</p>
        <p>The incident itself is safe: everything is kept on this device and on the host.</p>
        <button type="button" onClick={() => this.setState({ error: undefined })}>
          Try again
        </button>
      </div>
    )
  }
}
