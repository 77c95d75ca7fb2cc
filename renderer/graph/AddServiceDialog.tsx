import { type FormEvent, useState } from 'react'
import { SERVICE_KINDS, type ServiceKind, addService, connectServices } from '../../shared/services'
import { useBoard } from '../board/BoardContext'
import { Dialog } from '../common/Dialog'
import { FormError, useAction } from '../common/useAction'
import { Picker } from '../common/Picker'
import { useImpact } from './ImpactProvider'

/** "The CDN is in this too": a service the catalog did not have, with what it depends on. */
export const AddServiceDialog = ({ onClose }: { onClose: () => void }) => {
  const { connection } = useBoard()
  const { doc } = connection
  const impact = useImpact()
  const [name, setName] = useState('')
  const [kind, setKind] = useState<ServiceKind>('component')
  const [business, setBusiness] = useState(false)
  const [dependsOn, setDependsOn] = useState<string>()
  const [neededBy, setNeededBy] = useState<string>()
  const { error, run } = useAction()
  const services = [...impact.services.values()].map((s) => ({ id: s.id, name: s.name, note: s.kind }))

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const added = run(() =>
      doc.transact(() => {
        const id = addService(doc, connection.change(), { name, kind, business })
        if (dependsOn) connectServices(doc, connection.change(), id, dependsOn)
        if (neededBy) connectServices(doc, connection.change(), neededBy, id)
      }),
    )
    if (added) onClose()
  }

  return (
    <Dialog title="Add a service" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoFocus />
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as ServiceKind)}>
            {SERVICE_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label className="choice">
          <input type="checkbox" checked={business || kind === 'system'} disabled={kind === 'system'} onChange={(e) => setBusiness(e.target.checked)} />
          A business service (counted in "business services impacted")
        </label>
        <Picker label="It depends on" people={services} value={dependsOn} onChange={setDependsOn} />
        <Picker label="It is needed by" people={services} value={neededBy} onChange={setNeededBy} />
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="submit" className="primary">
            Add to the graph
          </button>
        </div>
      </form>
    </Dialog>
  )
}
