import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  MiniMap,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useReactFlow,
  useStore,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { type KeyboardEvent, createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react'
import { SERVICE_STATUSES, type Position, readPositions, setPositions, setServiceStatus } from '../../shared/services'
import { useBoard } from '../board/BoardContext'
import { belongsToTyping, keyFacts, plainKey } from '../board/keys'
import { PaneState } from '../common/PaneState'
import { FormError, useAction } from '../common/useAction'
import { useDocValue } from '../sync/hooks'
import { type Impact, useImpact, useRemoteDrags } from './ImpactProvider'
import { ServiceDetail } from './ServiceDetail'
import { type ServiceFlowNode, ServiceNode } from './ServiceNode'
import { layoutGraph, nodeSize } from './layout'
import './graph.css'

const nodeTypes = { service: ServiceNode }

/** How often a drag in progress is shown to the others. */
const DRAG_SHARE_MS = 80

/** Below this zoom a node is a coloured dot and its name unreadable. */
const FAR_ZOOM = 0.3

/**
 * Nodes for React Flow, keeping the previous object (and so the memoised
 * component's render) for every service whose picture did not change.
 */
const buildNodes = (
  previous: readonly ServiceFlowNode[],
  impact: Impact,
  positions: ReadonlyMap<string, Position>,
  remoteDrags: ReadonlyMap<string, Position>,
  selected: string | undefined,
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
    if (old && sameData && old.position.x === position.x && old.position.y === position.y && Boolean(old.selected) === isSelected) return old
    return { ...(old ?? {}), id: service.id, type: 'service', position, data, selected: isSelected, ...nodeSize(service.business) }
  })
}

const GraphCanvas = () => {
  const { connection, canEdit } = useBoard()
  const { doc } = connection
  const impact = useImpact()
  const positions = useDocValue(doc, readPositions)
  const remoteDrags = useRemoteDrags(connection)
  const [selected, setSelected] = useState<string>()
  const [nodes, setNodes] = useState<ServiceFlowNode[]>([])
  const [query, setQuery] = useState('')
  const { error, run, setError } = useAction()
  const flow = useReactFlow()
  const lastShared = useRef(0)
  const laying = useRef(false)
  const { request: relayoutRequest, setLaying } = useContext(RelayoutContext)

  useEffect(() => {
    setNodes((previous) => buildNodes(previous, impact, positions, remoteDrags, selected))
  }, [impact, positions, remoteDrags, selected])

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
        setPositions(doc, new Map(Object.entries(result).filter(([id]) => !only || only.has(id))))
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err))
      } finally {
        laying.current = false
        setLaying(false)
      }
    },
    [impact, doc, setError, setLaying],
  )

  // Services nobody has placed yet (a fresh import) are laid out once; the result is shared.
  useEffect(() => {
    if (!canEdit) return
    const missing = new Set([...impact.services.keys()].filter((id) => !positions.has(id)))
    if (missing.size > 0) void relayout(missing.size === impact.services.size ? undefined : missing)
  }, [canEdit, impact.services, positions, relayout])

  // The pane header's Re-layout button asks (a counter, so every press is one request); this canvas answers.
  const answered = useRef(relayoutRequest)
  useEffect(() => {
    if (answered.current === relayoutRequest) return
    answered.current = relayoutRequest
    void relayout()
  }, [relayoutRequest, relayout])

  // Fit the view once, when the nodes on screen stand where the shared layout puts them.
  const fitted = useRef(false)
  const search = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const placed = nodes.every((n) => {
      const p = positions.get(n.id)
      return p !== undefined && p.x === n.position.x && p.y === n.position.y
    })
    if (!fitted.current && nodes.length > 0 && placed) {
      fitted.current = true
      // Services start below the search box floating over the top left, never under it.
      requestAnimationFrame(() => {
        const box = search.current
        const top = box ? box.offsetTop + box.offsetHeight + 8 : 0
        void flow.fitView({ padding: { top: `${top}px`, right: '5%', bottom: '5%', left: '5%' } })
      })
    }
  }, [nodes, positions, flow])

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

  const jumpTo = (id: string): void => {
    const node = nodes.find((n) => n.id === id)
    setSelected(id)
    if (node) void flow.setCenter(node.position.x + (node.width ?? 200) / 2, node.position.y + (node.height ?? 64) / 2, { zoom: 1.1, duration: 300 })
  }

  // The selected service's keys (1-4 its status, Escape lets it go); never while someone types here.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const facts = keyFacts(event.nativeEvent)
    const key = plainKey(facts)
    if (key === undefined || belongsToTyping(facts)) return
    const status = /^[1-4]$/.test(key) ? SERVICE_STATUSES[Number(key) - 1] : undefined
    if (selected && canEdit && status) {
      event.preventDefault()
      run(() => setServiceStatus(doc, connection.change(), selected, status))
    } else if (key === 'escape') setSelected(undefined)
  }

  const matches = query.trim() ? [...impact.services.values()].filter((s) => s.name.toLowerCase().includes(query.trim().toLowerCase())).slice(0, 8) : []

  return (
    <div className="graph-body" onKeyDown={onKeyDown}>
      <div className="graph-canvas" aria-label="Service graph" role="region">
        <div className="graph-search" ref={search}>
          <input
            type="search"
            aria-label="Find a service"
            placeholder="Find a service"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && matches[0]) {
                jumpTo(matches[0].id)
                setQuery('')
              }
            }}
          />
          {matches.length > 0 && (
            <ul className="graph-matches" aria-label="Matching services">
              {matches.map((s) => (
                <li key={s.id}>
                  <button type="button" onClick={() => (jumpTo(s.id), setQuery(''))}>
                    {s.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <ReactFlow<ServiceFlowNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onNodeClick={(_, node) => setSelected(node.id)}
          onPaneClick={() => setSelected(undefined)}
          onNodeDrag={onNodeDrag}
          onNodeDragStop={onNodeDragStop}
          nodesDraggable={canEdit}
          nodesConnectable={false}
          elementsSelectable
          minZoom={0.05}
          maxZoom={2}
          colorMode="dark"
          proOptions={{ hideAttribution: true }}
          onlyRenderVisibleElements
        >
          <Background gap={24} />
          <MiniMap
            pannable
            zoomable
            position="bottom-right"
            style={{ width: 150, height: 100 }}
            ariaLabel="Minimap of the service graph"
            nodeClassName={(n) => `minimap-node--${(n as ServiceFlowNode).data.state}`}
          />
          <Controls showInteractive={false} aria-label="Zoom and fit to view" />
        </ReactFlow>
      </div>
      <FormError message={error} />
      {selected && impact.services.has(selected) && <ServiceDetail id={selected} onSelect={jumpTo} onClose={() => setSelected(undefined)} />}
    </div>
  )
}

/** From the pane header's button to the canvas that owns the layout, and back whether it is busy. */
const RelayoutContext = createContext<{ request: number; setLaying: (laying: boolean) => void }>({ request: 0, setLaying: () => undefined })

/** The IC's centre view: what is broken, what it breaks, and where it likely starts. */
export const GraphPane = ({ hidden }: { hidden?: boolean }) => {
  const { canEdit, open } = useBoard()
  const [request, setRequest] = useState(0)
  const [laying, setLaying] = useState(false)
  const channel = useMemo(() => ({ request, setLaying }), [request])
  const impact = useImpact()
  const business = [...impact.services.values()].filter((s) => s.business).length
  return (
    <section className="pane graph-pane" aria-labelledby="graph-heading" hidden={hidden}>
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
        {canEdit && (
          <span className="graph-actions">
            <button type="button" onClick={() => open({ kind: 'addService' })}>
              Add service
            </button>
            <button type="button" onClick={() => open({ kind: 'importCatalog' })}>
              Import catalog
            </button>
            <button type="button" onClick={() => setRequest((n) => n + 1)} disabled={laying || impact.services.size === 0} aria-busy={laying}>
              {laying ? 'Laying out…' : 'Re-layout'}
            </button>
          </span>
        )}
      </div>
      {impact.services.size === 0 ? (
        <PaneState kind="empty" title="No services on the graph yet">
          {canEdit && <p>Import a Backstage catalog (catalog-info.yaml) or a JSON file, or add services by hand.</p>}
        </PaneState>
      ) : (
        <RelayoutContext.Provider value={channel}>
          <ReactFlowProvider>
            <GraphCanvas />
          </ReactFlowProvider>
        </RelayoutContext.Provider>
      )}
    </section>
  )
}
