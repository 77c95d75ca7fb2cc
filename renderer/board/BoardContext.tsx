import { createContext, useContext } from 'react'
import type { Role } from '../../shared/roles'
import type { Audience } from '../../shared/templates'
import type { BoardConnection } from '../sync/board-connection'

export type OpenDialog =
  | { kind: 'task'; ownerId?: string; title?: string; serviceId?: string }
  | { kind: 'role'; role?: Role }
  | { kind: 'people' }
  | { kind: 'help' }
  /** Hand someone's roles and tasks over, then send them to rest or release them. */
  | { kind: 'handOver'; personId: string; then: 'rest' | 'release' }
  | { kind: 'scope' }
  | { kind: 'addService' }
  | { kind: 'importCatalog' }
  | { kind: 'updates'; audience?: Audience }
  | { kind: 'gathering' }
  | { kind: 'milestones' }
  | { kind: 'postmortem' }

export interface Board {
  connection: BoardConnection
  canEdit: boolean
  /** A replay of the record: read-only, every clock at the replay's moment. */
  replay: boolean
  open: (dialog: OpenDialog) => void
}

const BoardContext = createContext<Board | undefined>(undefined)

export const BoardProvider = BoardContext.Provider

export const useBoard = (): Board => {
  const board = useContext(BoardContext)
  if (!board) throw new Error('useBoard outside a board')
  return board
}
