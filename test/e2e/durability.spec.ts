// The host's disk fills up during an incident: every board says so at once,
// keeps what people type, and says when the host saves again; nothing is lost.
import { open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { canMountTmpfs, mountSmallDisk } from '../unit/helpers/tmpfs'
import { addEntry, entry, expect, joinAsHost, joinBoard, snapshot, test } from './board'
import { startE2eHost } from './host'

/** Take every free byte of the disk holding `dir`, as a log file growing elsewhere would. */
const fillDisk = async (dir: string): Promise<string> => {
  const path = join(dir, 'filler')
  const file = await open(path, 'w')
  try {
    // Big writes first, then ever smaller ones for what is left, until the disk takes nothing more.
    for (const size of [64 * 1024, 4096, 256, 1]) {
      const chunk = Buffer.alloc(size)
      for (;;) {
        const { bytesWritten } = await file.write(chunk).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOSPC') return { bytesWritten: 0 }
          throw error
        })
        if (bytesWritten < size) break
      }
    }
  } finally {
    await file.close()
  }
  return path
}

test('a full disk: every board warns at once, keeps typing, and the entry survives a crash once space is back', async ({ openPage }) => {
  test.skip(!(await canMountTmpfs()), 'needs to mount a small tmpfs (root)')
  const disk = await mountSmallDisk(8 * 1024 * 1024)
  const host = await startE2eHost(disk.dir)
  try {
    const { id, editToken } = await host.createIncident('Disk full drill', 'SEV-2')
    const ic = await openPage({ viewport: { width: 1920, height: 1080 } })
    await joinAsHost(ic, host.url, host.hostToken, id, 'Iris')
    const scribe = await openPage({ viewport: { width: 1366, height: 768 } })
    await joinBoard(scribe, `${host.url}/i/${id}#token=${editToken}`, 'Sam')

    const filler = await fillDisk(disk.dir)
    // The log's last page may still take a few small records: the scribe types on until a write fails.
    const warning = /The host cannot save: disk full\. Changes are kept on your screens; do not close them\./
    const banner = (page: typeof ic) => page.getByRole('alert').filter({ hasText: warning })
    const notes = `${'Paste of the load balancer log. '.repeat(30)}`
    let typed = 0
    while ((await banner(scribe).count()) === 0) {
      if (typed === 20) throw new Error('the host never said it cannot save')
      typed++
      await addEntry(scribe, `Written while the disk was full ${typed}: ${notes}`)
    }
    for (const page of [ic, scribe]) {
      await expect(banner(page)).toBeVisible()
      await expect(entry(page, `Written while the disk was full ${typed}:`)).toBeVisible()
    }
    await snapshot(ic, 'disk-full-ic-1920')
    await snapshot(scribe, 'disk-full-scribe-1366')

    await rm(filler)
    for (const page of [ic, scribe]) {
      await expect(page.getByRole('alert').filter({ hasText: 'The host saves again' })).toBeVisible({ timeout: 15_000 })
      await expect(page.getByRole('alert').filter({ hasText: warning })).toHaveCount(0)
    }

    // A crash now: a board that never had the entry gets it from the host's disk.
    await host.stop('SIGKILL')
    await host.start()
    const late = await openPage({ viewport: { width: 1366, height: 768 } })
    await joinBoard(late, `${host.url}/i/${id}#token=${editToken}`, 'Lee')
    for (let n = 1; n <= typed; n++) await expect(entry(late, `Written while the disk was full ${n}:`)).toHaveCount(1)
  } finally {
    await host.stop()
    await disk.unmount()
  }
})

test('a lost seal.key: the start page says so, the links people hold still work, and the IC issues new ones', async ({ openPage }) => {
  const host = await startE2eHost()
  try {
    const { id, editToken } = await host.createIncident('Key lost drill', 'SEV-3')
    await host.stop()
    await rm(join(host.dataDir, 'seal.key'))
    await host.start()

    const ic = await openPage({ viewport: { width: 1366, height: 768 } })
    await ic.addInitScript((token) => localStorage.setItem('warroom.hostToken', token), host.hostToken)
    await ic.goto(host.url)
    const problems = ic.getByRole('region', { name: 'The host needs your attention' })
    await expect(problems.getByRole('list', { name: "Problems found in the host's files" })).toContainText(/seal\.key.*invite links of 1 incident cannot be shown again/)
    await snapshot(ic, 'start-page-problems-1366')

    // A responder's link from before still opens the board.
    const responder = await openPage()
    await joinBoard(responder, `${host.url}/i/${id}#token=${editToken}`, 'Rosa')

    await ic.getByRole('link', { name: /^SEV-\d Key lost drill/ }).click()
    await ic.getByLabel('Your name').fill('Iris')
    await ic.getByRole('button', { name: 'Join the board' }).click()
    await ic.getByRole('button', { name: 'Invite' }).click()
    await expect(ic.getByRole('alert').filter({ hasText: /cannot be shown again/ })).toBeVisible()
    await ic.getByRole('button', { name: 'Issue new links…' }).click()
    await expect(ic.getByRole('group', { name: /current links stop working/ })).toBeVisible()
    await ic.getByRole('button', { name: 'Issue new links', exact: true }).click()
    const link = await ic.getByRole('textbox', { name: 'Responder link (can edit)' }).inputValue()
    expect(link).toMatch(new RegExp(`/i/${id}#token=`))
    expect(link).not.toContain(editToken)
    await ic.getByRole('button', { name: 'Close' }).click()
    const newcomer = await openPage()
    await joinBoard(newcomer, link, 'Nat')
  } finally {
    await host.stop()
    await rm(host.dataDir, { recursive: true, force: true })
  }
})
