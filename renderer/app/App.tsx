import { ErrorBoundary } from '../common/ErrorBoundary'
import { PaneState } from '../common/PaneState'
import { BoardPage } from '../board/BoardPage'
import { HomePage } from '../home/HomePage'
import { ComparisonPage } from '../drill/ComparisonPage'
import { DrillControlPage } from '../drill/DrillControlPage'
import { ReplayPage } from '../replay/ReplayPage'
import { PostmortemPrintPage } from '../postmortem/PostmortemPrintPage'
import { parseRoute, usePathname, useSearch } from './router'

export const App = () => {
  const route = parseRoute(usePathname(), useSearch())
  return (
    <ErrorBoundary what="War Room">
      {route.page === 'home' && <HomePage />}
      {route.page === 'incident' && <BoardPage key={route.incidentId} incidentId={route.incidentId} />}
      {route.page === 'drill' && <DrillControlPage key={route.incidentId} drillId={route.incidentId} />}
      {route.page === 'compare' && <ComparisonPage key={route.incidentId} drillId={route.incidentId} />}
      {route.page === 'postmortem' && <PostmortemPrintPage key={route.incidentId} incidentId={route.incidentId} />}
      {route.page === 'replay' && <ReplayPage key={route.incidentId} incidentId={route.incidentId} {...(route.at !== undefined ? { at: route.at } : {})} />}
      {route.page === 'not-found' && (
        <main className="page">
          <PaneState kind="error" title="There is nothing at this address">
            <p>
              <a href="/">Go to the incident list</a>
            </p>
          </PaneState>
        </main>
      )}
    </ErrorBoundary>
  )
}
