import { lazy, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { AccountPage } from './account/AccountPage';
import { ConfirmSignUpPage } from './account/ConfirmSignUpPage';
import { SignInPage } from './account/SignInPage';
import { SignUpPage } from './account/SignUpPage';
import { AdminIndex, AdminPage, AdminTabPage } from './admin/AdminPage';
import { adminTabs } from './admin/tabs';
import { ManageProgramPage } from './beta/ManageProgramPage';
import { NewProgramPage } from './beta/NewProgramPage';
import { ProgramPage } from './beta/ProgramPage';
import { ProgramsPage } from './beta/ProgramsPage';
import { Loading } from './components/Loading';
import { CategoryPage } from './forum/CategoryPage';
import { HomePage } from './forum/HomePage';
import { NewThreadPage } from './forum/NewThreadPage';
import { ThreadListPage } from './forum/ThreadListPage';
import { ThreadPage } from './forum/ThreadPage';
import { IdeasBoardPage } from './ideas/IdeasBoardPage';
import { TriageBoardPage } from './ideas/TriageBoardPage';
import { ReviewQueuePage } from './moderation/ReviewQueuePage';
import { NotificationsPage } from './notifications/NotificationsPage';
import { ChangelogPage } from './releases/ChangelogPage';
import { ReleaseCalendarPage } from './releases/ReleaseCalendarPage';
import { ReleaseEditorPage } from './releases/ReleaseEditorPage';
import { ReleasePage } from './releases/ReleasePage';
import { SearchPage } from './search/SearchPage';
import { ErrorPage } from './shell/ErrorPage';
import { Layout } from './shell/Layout';
import { NotFoundPage } from './shell/NotFoundPage';
import { ProfilePage } from './users/ProfilePage';

/** Staff pages with libraries of their own load on first visit, so the main bundle stays small. */
const DashboardPage = lazy(() => import('./dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));

export const router = createBrowserRouter([
  {
    element: <Layout />,
    // Only when the layout itself fails; pages fail inside it (below).
    errorElement: <ErrorPage standalone />,
    children: [
      {
        errorElement: <ErrorPage />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'sign-up', element: <SignUpPage /> },
          { path: 'sign-up/confirm', element: <ConfirmSignUpPage /> },
          { path: 'review', element: <ReviewQueuePage /> },
          { path: 'triage', element: <TriageBoardPage /> },
          {
            path: 'dashboard',
            element: (
              <Suspense fallback={<Loading />}>
                <DashboardPage />
              </Suspense>
            ),
          },
          {
            path: 'admin',
            element: <AdminPage />,
            children: [
              { index: true, element: <AdminIndex /> },
              ...adminTabs.map((tab) => ({ path: tab.route, element: <AdminTabPage tab={tab} /> })),
            ],
          },
          { path: 'sign-in', element: <SignInPage /> },
          { path: 'account', element: <AccountPage /> },
          { path: 'latest', element: <ThreadListPage key="latest" feed="latest" /> },
          { path: 'new', element: <ThreadListPage key="new" feed="new" /> },
          { path: 'unread', element: <ThreadListPage key="unread" feed="unread" /> },
          { path: 'ideas', element: <IdeasBoardPage /> },
          { path: 'beta', element: <ProgramsPage /> },
          { path: 'beta/new', element: <NewProgramPage /> },
          { path: 'beta/:slug', element: <ProgramPage /> },
          { path: 'beta/:slug/manage', element: <ManageProgramPage /> },
          { path: 'c/:slug', element: <CategoryPage /> },
          { path: 'c/:slug/ideas', element: <IdeasBoardPage /> },
          { path: 'c/:slug/new', element: <NewThreadPage /> },
          { path: 't/:id', element: <ThreadPage /> },
          { path: 't/:id/:postNumber', element: <ThreadPage /> },
          { path: 'notifications', element: <NotificationsPage /> },
          { path: 'releases', element: <ChangelogPage /> },
          { path: 'releases/calendar', element: <ReleaseCalendarPage /> },
          { path: 'releases/new', element: <ReleaseEditorPage /> },
          { path: 'releases/:id', element: <ReleasePage /> },
          { path: 'releases/:id/edit', element: <ReleaseEditorPage /> },
          { path: 'search', element: <SearchPage /> },
          { path: 'u/:username', element: <ProfilePage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
