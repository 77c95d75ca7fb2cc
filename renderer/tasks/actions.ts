import type { TaskStatus } from '../../shared/tasks'

/** The owner's next step, offered as the one big button on their task. */
export const NEXT_STEP: Partial<Record<TaskStatus, { to: TaskStatus; label: string }>> = {
  assigned: { to: 'acknowledged', label: 'Acknowledge' },
  acknowledged: { to: 'inProgress', label: 'Start' },
  inProgress: { to: 'done', label: 'Done' },
  blocked: { to: 'inProgress', label: 'Unblock' },
}

export const CHECK_BACK_CHOICES = [5, 10, 15, 30] as const
