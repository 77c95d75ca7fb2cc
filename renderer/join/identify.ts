// Who is this device's person: matched to the host's roster by name, so they
// are the same person on every device and incident; someone new is added to it
// (offline, a local id will do for now).
import { checkName } from '../../shared/people'
import { type RosterPerson, addToRoster } from '../app/api'
import { type Identity, saveIdentity } from '../app/session'

/** Throws a PeopleError for an empty or overlong name. */
export const identifyAs = async (token: string, name: string, roster: readonly RosterPerson[] | undefined): Promise<Identity> => {
  const clean = checkName(name)
  const exact = roster?.find((p) => p.name.toLowerCase() === clean.toLowerCase())
  if (exact) return saveIdentity(exact.name, exact.id)
  const added = await addToRoster(token, { name: clean }).catch(() => undefined)
  return saveIdentity(clean, added?.id)
}
