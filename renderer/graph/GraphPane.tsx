import {
  Background,
  type Edge,
  type FitViewOptions,
  MarkerType,
  MiniMap,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  getNodesBounds,
  getViewportForBounds,
  useReactFlow,
  useStore,
  useStoreApi,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { SERVICE_STATUSES, type Position, readPositions, setPositions, setServiceStatus } from '../../shared/services'
import { useBoard } from '../board/BoardContext'
import { belongsToTyping, keyFacts, plainKey } from '../board/keys'
import { useFocusKey } from '../board/useFocusKey'
import { PaneState } from '../common/PaneState'
import { FormError, useAction } from '../common/useAction'
import { useDocValue } from '../sync/hooks'
import { type Impact, useImpact, useRemoteDrags } from './ImpactProvider'
import { ServiceDetail } from './ServiceDetail'
import { type ServiceFlowNode, ServiceNode, serviceNodeLabel } from './ServiceNode'
import { ARROW_DIRECTIONS, type Placed, connectedTo, onScreen, serviceToward, tabStop } from './graph-keys'
import { layoutGraph, nodeSize } from './layout'
import './graph.css'

const nodeTypes = { service: ServiceNode }

/** How often a drag in progress is shown to the others. */
const DRAG_SHARE_MS = 80

/** Below this zoom a node is a coloured dot and its name unreadable. */
const FAR_ZOOM = 0.3

/**
 * The canvas's smallest type (--canvas-text-md, 16 px) at 14 px on screen: what
 * the IC reads from three metres. The first fit never goes below it.
 */
const READABLE_ZOOM = 14 / 16
const MAX_ZOOM = 2
const FIT_PADDING = '16px'

/** What a focused service's keys do, read after its name. */
const KEYS_HELP_ID = 'graph-keys-help'

/**
 * Nodes for React Flow, keeping the previous object (and so the memoised
 * component's render) for every service whose picture did not change.
 * `stop`: the one service Tab reaches; the others are reached by arrow keys.
 */
const buildNodes = (
  previous: readonly ServiceFlowNode[],
  impact: Impact,
  positions: ReadonlyMap<string, Position>,
  remoteDrags: ReadonlyMap<string, Position>,
  selected: string | undefined,
  stop: string | undefined,
): ServiceFlowNode[] => {
  const before = new Map(previous.map((n) => [n.id, n]))
  return [...impact.services.values()].map((service) => {
    const old = before.get(service.id)
    const state = impact.model.stateOf(service.id)
    const origin = impact.model.isLikelyOrigin(service.id)
    // A node being dragged here keeps its local position; one dragged elsewhere follows that drag.
    const position = old?.dragging ? old.position : (remoteDrags.get(service.id) ?? positions.get(service.id) ?? old?.position ?? { x: 0, y: 0 })
    const sameData = old && old.data.service === service && old.data.state === state && old.data.origin === origin
    const data = sameData ? old.data : { service, state, origin }
    const isSelected = service.id === selected
    const tabIndex = service.id === stop ? 0 : -1
    if (old && sameData && old.position.x === position.x && old.position.y === position.y && Boolean(old.selected) === isSelected && old.domAttributes?.tabIndex === tabIndex) return old
    return {
      ...(old ?? {}),
      id: service.id,
      type: 'service',
      position,
      data,
      selected: isSelected,
      ariaLabel: serviceNodeLabel(data),
      domAttributes: { tabIndex, 'aria-describedby': KEYS_HELP_ID },
      ...nodeSize(service.business),
    }
  })
}

/**
 * Puts keyboard focus on a service's node. A node off screen is not drawn, so
 * this waits (a few frames at most) for one just brought on screen.
 */
const focusNode = (within: ParentNode | null | undefined, id: string): void => {
  let frames = 0
  const attempt = (): void => {
    const element = within?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)
    if (element) element.focus({ preventScroll: true })
    else if (++frames < 30) requestAnimationFrame(attempt)
  }
  attempt()
}

/** Centres a service at reading zoom and selects it (the search, the details' links). */
const useJumpTo = (select: (id: string) => void): ((id: string) => void) => {
  const flow = useReactFlow<ServiceFlowNode>()
  return useCallback(
    (id: string) => {
      select(id)
      const node = flow.getNode(id)
      if (node) void flow.setCenter(node.position.x + (node.width ?? 0) / 2, node.position.y + (node.height ?? 0) / 2, { zoom: 1.1, duration: 300 })
    },
    [flow, select],
  )
}

/**
 * `relayoutRequest`: the toolbar's Re-layout button (a counter, so every press is one
 * request); `setLaying` tells the toolbar whether a layout is running.
 */
const placedOf = (n: ServiceFlowNode): Placed => ({ id: n.id, x: n.position.x, y: n.position.y, width: n.width ?? 0, height: n.height ?? 0 })

const GraphCanvas = ({
  selected,
  select,
  relayoutRequest,
  setLaying,
}: {
  selected: string | undefined
  select: (id: string | undefined) => void
  relayoutRequest: number
  setLaying: (laying: boolean) => void
}) => {
  const { connection, canEdit } = useBoard()
  const { doc } = connection
  const impact = useImpact()
  const shared = useDocValue(doc, readPositions)
  // A read-only board (a view link, a replay) lays out on its own what nobody placed, and keeps it to itself.
  const [laidOutHere, setLaidOutHere] = useState<ReadonlyMap<string, Position>>(new Map())
  const positions = useMemo(() => (laidOutHere.size === 0 ? shared : new Map([...laidOutHere, ...shared])), [shared, laidOutHere])
  const remoteDrags = useRemoteDrags(connection)
  const [nodes, setNodes] = useState<ServiceFlowNode[]>([])
  const { error, run, setError } = useAction()
  const flow = useReactFlow<ServiceFlowNode>()
  const store = useStoreApi<ServiceFlowNode>()
  const jumpTo = useJumpTo(select)
  const lastShared = useRef(0)
  const laying = useRef(false)
  const canvas = useRef<HTMLDivElement>(null)
  // The service last focused or chosen: Tab comes back to it while it is on screen.
  const [preferred, setPreferred] = useState<string>()
  const placed = useMemo(() => nodes.map(placedOf), [nodes])
  const stop = useStore((state) => tabStop(preferred, placed, state.transform, state.width, state.height))
  // A service chosen by click, search or a link in the details becomes the stop.
  useEffect(() => {
    if (selected) setPreferred(selected)
  }, [selected])

  useEffect(() => {
    setNodes((previous) => buildNodes(previous, impact, positions, remoteDrags, selected, stop))
  }, [impact, positions, remoteDrags, selected, stop])

  // Zoomed far out, healthy edges are only noise and cost every frame of a pan; only the ones carrying impact stay.
  const zoomedOut = useStore((state) => state.transform[2] < FAR_ZOOM)
  const edges = useMemo<Edge[]>(
    () =>
      impact.dependencies.map((d) => {
        const carries = impact.model.stateOf(d.to) !== 'healthy'
        return {
          id: d.id,
          source: d.from,
          target: d.to,
          hidden: zoomedOut && !carries,
          // Straight: a curve across a large estate costs a frame's budget to draw on every pan.
          type: 'straight',
          className: carries ? 'edge--impact' : undefined,
          markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        }
      }),
    [impact, zoomedOut],
  )

  const relayout = useCallback(
    async (only?: ReadonlySet<string>) => {
      if (laying.current) return
      laying.current = true
      setLaying(true)
      try {
        const services = [...impact.services.values()]
        const result = await layoutGraph({
          nodes: services.map((s) => ({ id: s.id, ...nodeSize(s.business) })),
          edges: impact.dependencies.map((d) => ({ id: d.id, from: d.from, to: d.to })),
        })
        const placed = new Map(Object.entries(result).filter(([id]) => !only || only.has(id)))
        if (canEdit) setPositions(doc, placed)
        else setLaidOutHere(placed)
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err))
      } finally {
        laying.current = false
        setLaying(false)
      }
    },
    [impact, doc, canEdit, setError, setLaying],
  )

  // Services nobody has placed yet (a fresh import) are laid out once; the result is shared.
  useEffect(() => {
    const missing = new Set([...impact.services.keys()].filter((id) => !positions.has(id)))
    if (missing.size > 0) void relayout(missing.size === impact.services.size || !canEdit ? undefined : missing)
  }, [canEdit, impact.services, positions, relayout])

  const answered = useRef(relayoutRequest)
  useEffect(() => {
    if (answered.current === relayoutRequest) return
    answered.current = relayoutRequest
    void relayout()
  }, [relayoutRequest, relayout])

  // Fit the view once, when the nodes on screen stand where the shared layout puts them: the whole
  // graph if its names can be read from across the room; if not, at the readable zoom, what is broken
  // (or the middle of the graph while nothing is), and the IC pans to the rest. A laptop fits it
  // when its Services tab is first shown: hidden, the canvas has no size to fit to.
  const fitted = useRef(false)
  const shown = useStore((state) => state.width > 0 && state.height > 0)
  useEffect(() => {
    const placed = nodes.every((n) => {
      const p = positions.get(n.id)
      return p !== undefined && p.x === n.position.x && p.y === n.position.y
    })
    if (!fitted.current && shown && nodes.length > 0 && placed) {
      fitted.current = true
      requestAnimationFrame(() => {
        const { width, height } = store.getState()
        const whole = getViewportForBounds(getNodesBounds(nodes), width, height, 0, MAX_ZOOM, FIT_PADDING)
        const broken = nodes.filter((n) => n.data.state !== 'healthy')
        const options: FitViewOptions<ServiceFlowNode> = { padding: FIT_PADDING, minZoom: READABLE_ZOOM }
        void flow.fitView(whole.zoom < READABLE_ZOOM && broken.length > 0 ? { ...options, nodes: broken } : options)
      })
    }
  }, [nodes, positions, shown, flow, store])

  // The minimap only while part of the graph is out of view: over a graph wholly in view it would hide services.
  const bounds = useMemo(() => getNodesBounds(nodes), [nodes])
  const overflows = useStore((state) => {
    const [x, y, zoom] = state.transform
    return bounds.x * zoom + x < 0 || bounds.y * zoom + y < 0 || (bounds.x + bounds.width) * zoom + x > state.width || (bounds.y + bounds.height) * zoom + y > state.height
  })

  const onNodesChange = useCallback((changes: NodeChange<ServiceFlowNode>[]) => {
    // Selection is local to this screen; React Flow's own selection changes are not used.
    setNodes((current) => applyNodeChanges(changes.filter((c) => c.type !== 'select'), current))
  }, [])

  const onNodeDrag = useCallback(
    (_: unknown, node: ServiceFlowNode) => {
      const now = performance.now()
      if (now - lastShared.current < DRAG_SHARE_MS) return
      lastShared.current = now
      connection.setPresence({ dragging: { id: node.id, x: Math.round(node.position.x), y: Math.round(node.position.y) } })
    },
    [connection],
  )

  const onNodeDragStop = useCallback(
    (_: unknown, node: ServiceFlowNode) => {
      connection.setPresence({ dragging: undefined })
      run(() => setPositions(doc, new Map([[node.id, node.position]])))
    },
    [connection, doc, run],
  )

  /** Moves focus to a service, bringing it on screen first: one off screen is not drawn. */
  const focusService = (id: string): void => {
    setPreferred(id)
    const node = nodes.find((n) => n.id === id)
    const { transform, width, height } = store.getState()
    if (node && !onScreen(placedOf(node), transform, width, height)) {
      const { x, y, width: w, height: h } = placedOf(node)
      void flow.setCenter(x + w / 2, y + h / 2, { zoom: transform[2] })
    }
    focusNode(canvas.current, id)
  }

  // A focused service's keys (Enter or Space its details, arrows the next service), and the
  // focused or selected one's (1-4 its status, Escape lets it go); never while someone types here.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const facts = keyFacts(event.nativeEvent)
    const key = plainKey(facts)
    if (key === undefined || belongsToTyping(facts)) return
    const focused = event.target instanceof Element ? event.target.closest<HTMLElement>('.react-flow__node')?.dataset.id : undefined
    const target = focused ?? selected
    const status = /^[1-4]$/.test(key) ? SERVICE_STATUSES[Number(key) - 1] : undefined
    const direction = ARROW_DIRECTIONS[key]
    if (target && canEdit && status) {
      event.preventDefault()
      run(() => setServiceStatus(doc, connection.change(), target, status))
    } else if (focused && (key === 'enter' || key === ' ')) {
      event.preventDefault()
      select(focused)
    } else if (focused && direction) {
      event.preventDefault()
      const next = serviceToward(focused, direction, new Map(placed.map((p) => [p.id, p])), connectedTo(focused, impact.dependencies))
      if (next) focusService(next)
    } else if (key === 'escape') select(undefined)
  }

  return (
    <div
      className="graph-body"
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        const id = event.target.closest<HTMLElement>('.react-flow__node')?.dataset.id
        if (id) setPreferred(id)
      }}
    >
      <p id={KEYS_HELP_ID} className="visually-hidden">
        {canEdit ? 'Enter: its details. 1 to 4: its status, from operational to major outage. ' : 'Enter: its details. '}Arrow keys: the next connected service.
      </p>
      <div className="graph-canvas" aria-label="Service graph" role="region" ref={canvas}>
        <ReactFlow<ServiceFlowNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onNodeClick={(_, node) => select(node.id)}
          onPaneClick={() => select(undefined)}
          onNodeDrag={onNodeDrag}
          onNodeDragStop={onNodeDragStop}
          nodesDraggable={canEdit}
          nodesConnectable={false}
          // Our own keys (above) instead of React Flow's, whose arrows move the selected node; edges are not stops.
          disableKeyboardA11y
          edgesFocusable={false}
          elementsSelectable
          minZoom={0.05}
          maxZoom={MAX_ZOOM}
          colorMode="dark"
          proOptions={{ hideAttribution: true }}
          onlyRenderVisibleElements
        >
          <Background gap={24} />
          {overflows && (
            <MiniMap
              pannable
              zoomable
              position="bottom-right"
              style={{ width: 150, height: 100 }}
              ariaLabel="Minimap of the service graph"
              nodeClassName={(n) => `minimap-node--${(n as ServiceFlowNode).data.state}`}
            />
          )}
        </ReactFlow>
      </div>
      <FormError message={error} />
      {selected && impact.services.has(selected) && <ServiceDetail id={selected} onSelect={jumpTo} onClose={() => select(undefined)} />}
    </div>
  )
}

/**
 * Find a service by name (F from anywhere on the board): its matches drop down over the
 * canvas; choosing one centres and selects it and puts focus on it, so its keys work at once.
 */
const GraphSearch = ({ select, onShow }: { select: (id: string) => void; onShow: (() => void) | undefined }) => {
  const impact = useImpact()
  const jumpTo = useJumpTo(select)
  const [query, setQuery] = useState('')
  const field = useRef<HTMLInputElement>(null)
  useFocusKey('f', field, onShow)
  const wanted = query.trim().toLowerCase()
  const matches = wanted ? [...impact.services.values()].filter((s) => s.name.toLowerCase().includes(wanted)).slice(0, 8) : []
  const choose = (id: string): void => {
    jumpTo(id)
    setQuery('')
    focusNode(field.current?.closest('.graph-pane'), id)
  }
  return (
    <div className="graph-search">
      <input
        ref={field}
        type="search"
        aria-label="Find a service"
        placeholder="Find a service"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && matches[0]) choose(matches[0].id)
        }}
      />
      {matches.length > 0 && (
        <ul className="graph-matches" aria-label="Matching services">
          {matches.map((s) => (
            <li key={s.id}>
              <button type="button" onClick={() => choose(s.id)}>
                {s.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** Zoom buttons in the toolbar, not over the canvas, where they would cover services. */
const ZoomButtons = () => {
  const flow = useReactFlow()
  return (
    <span className="graph-zoom" role="group" aria-label="Zoom">
      <button type="button" aria-label="Zoom out" title="Zoom out" onClick={() => void flow.zoomOut({ duration: 200 })}>
        −
      </button>
      <button type="button" aria-label="Zoom in" title="Zoom in" onClick={() => void flow.zoomIn({ duration: 200 })}>
        +
      </button>
      <button type="button" title="Show every service" onClick={() => void flow.fitView({ padding: FIT_PADDING, duration: 200 })}>
        Fit
      </button>
    </span>
  )
}

const GraphPaneContent = ({ onShow }: { onShow: (() => void) | undefined }) => {
  const { canEdit, open } = useBoard()
  const [request, setRequest] = useState(0)
  const [laying, setLaying] = useState(false)
  const [selected, setSelected] = useState<string>()
  const impact = useImpact()
  const business = [...impact.services.values()].filter((s) => s.business).length
  const empty = impact.services.size === 0
  return (
    <>
      <div className="pane-header">
        <h2 id="graph-heading">Services</h2>
        {business > 0 && (
          <span className={impact.summary.businessImpacted.length > 0 ? 'impact-count is-bad' : 'impact-count'}>
            {impact.summary.businessImpacted.length} of {business} business services impacted
          </span>
        )}
        {impact.summary.likelyOrigins.length > 0 && (
          <span className="origin-summary">⚑ likely origin: {impact.summary.likelyOrigins.map((id) => impact.services.get(id)?.name ?? id).join(', ')}</span>
        )}
        {/* The toolbar row: above the canvas, so nothing in it ever covers a service. */}
        <div className="graph-toolbar">
          {!empty && <GraphSearch select={setSelected} onShow={onShow} />}
          {!empty && <ZoomButtons />}
          {canEdit && (
            <span className="graph-actions">
              <button type="button" onClick={() => open({ kind: 'addService' })}>
                Add service
              </button>
              <button type="button" onClick={() => open({ kind: 'importCatalog' })}>
                Import catalog
              </button>
              <button type="button" onClick={() => setRequest((n) => n + 1)} disabled={laying || empty} aria-busy={laying}>
                {laying ? 'Laying out…' : 'Re-layout'}
              </button>
            </span>
          )}
        </div>
      </div>
      {empty ? (
        <PaneState kind="empty" title="No services on the graph yet">
          {canEdit && <p>Import a Backstage catalog (catalog-info.yaml) or a JSON file, or add services by hand.</p>}
        </PaneState>
      ) : (
        <GraphCanvas selected={selected} select={setSelected} relayoutRequest={request} setLaying={setLaying} />
      )}
    </>
  )
}

/** The IC's centre view: what is broken, what it breaks, and where it likely starts. */
export const GraphPane = ({ hidden, onShow }: { hidden?: boolean; onShow?: () => void }) => (
  <section className="pane graph-pane" aria-labelledby="graph-heading" hidden={hidden}>
    <ReactFlowProvider>
      <GraphPaneContent onShow={onShow} />
    </ReactFlowProvider>
  </section>
)
