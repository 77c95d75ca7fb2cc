import { Handle, type Node, type NodeProps, Position } from '@xyflow/react'
import { memo } from 'react'
import type { ImpactState } from '../../shared/impact'
import { SERVICE_STATUS_LABELS, type Service } from '../../shared/services'

export interface ServiceNodeData extends Record<string, unknown> {
  service: Service
  state: ImpactState
  origin: boolean
}

export type ServiceFlowNode = Node<ServiceNodeData, 'service'>

/** Icon and words as well as colour: down, impacted and healthy read apart on any screen. */
const STATE_ICON: Record<ImpactState, string> = { down: '✖', impacted: '⚠', healthy: '✓' }

const KIND_LABEL: Record<Service['kind'], string> = { component: 'Component', resource: 'Resource', api: 'API', system: 'Business service' }

/** On the node, short enough to stay whole on its line; the full label is in the node's accessible name. */
const SHORT_STATUS: Record<Service['status'], string> = { operational: 'Operational', degraded: 'Degraded', partialOutage: 'Partial outage', majorOutage: 'Major outage' }

const stateLabel = ({ service, state }: ServiceNodeData): string =>
  state === 'down' ? SERVICE_STATUS_LABELS[service.status] : state === 'impacted' ? 'Impacted' : 'Operational'

/** A service's accessible name, on the node that takes focus: name, kind, state, and whether it is a likely origin. */
export const serviceNodeLabel = (data: ServiceNodeData): string =>
  `${data.service.name}, ${KIND_LABEL[data.service.kind]}: ${stateLabel(data)}${data.origin ? ', likely origin' : ''}`

/** One service on the graph. Memoised: only services whose data changed render again. */
export const ServiceNode = memo(({ data, selected }: NodeProps<ServiceFlowNode>) => {
  const { service, state, origin } = data
  const shown = state === 'down' ? SHORT_STATUS[service.status] : stateLabel(data)
  return (
    <div
      className={`service-node service-node--${state} status--${service.status}${service.business ? ' service-node--business' : ''}${origin ? ' service-node--origin' : ''}${selected ? ' is-selected' : ''}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      {/* Two lines at most (one on a likely origin, whose flag takes a line), then an ellipsis; whole on hover. */}
      <span className="service-node-name" title={service.name}>
        {service.name}
      </span>
      <div className="service-node-meta">
        <span className="service-node-state">
          <span className="service-node-icon" aria-hidden="true">
            {STATE_ICON[state]}
          </span>{' '}
          {shown}
        </span>
        {origin ? <span className="origin-flag">⚑ likely origin</span> : <span className="service-node-kind muted">{KIND_LABEL[service.kind]}</span>}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  )
})
ServiceNode.displayName = 'ServiceNode'
