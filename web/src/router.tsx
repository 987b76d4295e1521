import { createBrowserRouter } from 'react-router';
import { adminTabs } from './admin/tabs';
import { lazyPage } from './components/lazyPage';
import { HomePage } from './forum/HomePage';
import { ErrorPage } from './shell/ErrorPage';
import { Layout } from './shell/Layout';
import { NotFoundPage } from './shell/NotFoundPage';

// Every page but the home page loads on its first visit (a chunk of its own, lazyPage): the
// first load carries the shell and the home page only.
const AccountPage = lazyPage(() => import('./account/AccountPage').then((m) => m.AccountPage));
const BookmarksPage = lazyPage(() => import('./account/BookmarksPage').then((m) => m.BookmarksPage));
const ConfirmSignUpPage = lazyPage(() => import('./account/ConfirmSignUpPage').then((m) => m.ConfirmSignUpPage));
const SignInPage = lazyPage(() => import('./account/SignInPage').then((m) => m.SignInPage));
const SignUpPage = lazyPage(() => import('./account/SignUpPage').then((m) => m.SignUpPage));
const AdminIndex = lazyPage(() => import('./admin/AdminPage').then((m) => m.AdminIndex));
const AdminPage = lazyPage(() => import('./admin/AdminPage').then((m) => m.AdminPage));
const AdminTabPage = lazyPage(() => import('./admin/AdminPage').then((m) => m.AdminTabPage));
const ManageProgramPage = lazyPage(() => import('./beta/ManageProgramPage').then((m) => m.ManageProgramPage));
const NewProgramPage = lazyPage(() => import('./beta/NewProgramPage').then((m) => m.NewProgramPage));
const ProgramPage = lazyPage(() => import('./beta/ProgramPage').then((m) => m.ProgramPage));
const ProgramsPage = lazyPage(() => import('./beta/ProgramsPage').then((m) => m.ProgramsPage));
const CategoryPage = lazyPage(() => import('./forum/CategoryPage').then((m) => m.CategoryPage));
const NewThreadPage = lazyPage(() => import('./forum/NewThreadPage').then((m) => m.NewThreadPage));
const ThreadListPage = lazyPage(() => import('./forum/ThreadListPage').then((m) => m.ThreadListPage));
const ThreadPage = lazyPage(() => import('./forum/ThreadPage').then((m) => m.ThreadPage));
const IdeasBoardPage = lazyPage(() => import('./ideas/IdeasBoardPage').then((m) => m.IdeasBoardPage));
const RoadmapPage = lazyPage(() => import('./ideas/RoadmapPage').then((m) => m.RoadmapPage));
const TriageBoardPage = lazyPage(() => import('./ideas/TriageBoardPage').then((m) => m.TriageBoardPage));
const ReviewQueuePage = lazyPage(() => import('./moderation/ReviewQueuePage').then((m) => m.ReviewQueuePage));
const NotificationsPage = lazyPage(() => import('./notifications/NotificationsPage').then((m) => m.NotificationsPage));
const ChangelogPage = lazyPage(() => import('./releases/ChangelogPage').then((m) => m.ChangelogPage));
const ReleaseCalendarPage = lazyPage(() => import('./releases/ReleaseCalendarPage').then((m) => m.ReleaseCalendarPage));
const ReleaseEditorPage = lazyPage(() => import('./releases/ReleaseEditorPage').then((m) => m.ReleaseEditorPage));
const ReleasePage = lazyPage(() => import('./releases/ReleasePage').then((m) => m.ReleasePage));
const SearchPage = lazyPage(() => import('./search/SearchPage').then((m) => m.SearchPage));
const ProfilePage = lazyPage(() => import('./users/ProfilePage').then((m) => m.ProfilePage));
const DashboardPage = lazyPage(() => import('./dashboard/DashboardPage').then((m) => m.DashboardPage));

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
            element: <DashboardPage />,
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
          { path: 'bookmarks', element: <BookmarksPage /> },
          { path: 'latest', element: <ThreadListPage key="latest" feed="latest" /> },
          { path: 'new', element: <ThreadListPage key="new" feed="new" /> },
          { path: 'unread', element: <ThreadListPage key="unread" feed="unread" /> },
          { path: 'ideas', element: <IdeasBoardPage /> },
          { path: 'roadmap', element: <RoadmapPage /> },
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
