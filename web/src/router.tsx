import { createBrowserRouter } from 'react-router';
import { Layout } from './components/Layout';
import { AccountPage } from './pages/AccountPage';
import { CategoryPage } from './pages/CategoryPage';
import { ErrorPage } from './pages/ErrorPage';
import { HomePage } from './pages/HomePage';
import { IdeasBoardPage } from './pages/IdeasBoardPage';
import { NewThreadPage } from './pages/NewThreadPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { ProfilePage } from './pages/ProfilePage';
import { SearchPage } from './pages/SearchPage';
import { SignInPage } from './pages/SignInPage';
import { SignUpPage } from './pages/SignUpPage';
import { ThreadListPage } from './pages/ThreadListPage';
import { ThreadPage } from './pages/ThreadPage';

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
          { path: 'sign-in', element: <SignInPage /> },
          { path: 'account', element: <AccountPage /> },
          { path: 'latest', element: <ThreadListPage key="latest" feed="latest" /> },
          { path: 'new', element: <ThreadListPage key="new" feed="new" /> },
          { path: 'unread', element: <ThreadListPage key="unread" feed="unread" /> },
          { path: 'ideas', element: <IdeasBoardPage /> },
          { path: 'c/:slug', element: <CategoryPage /> },
          { path: 'c/:slug/ideas', element: <IdeasBoardPage /> },
          { path: 'c/:slug/new', element: <NewThreadPage /> },
          { path: 't/:id', element: <ThreadPage /> },
          { path: 't/:id/:postNumber', element: <ThreadPage /> },
          { path: 'notifications', element: <NotificationsPage /> },
          { path: 'search', element: <SearchPage /> },
          { path: 'u/:username', element: <ProfilePage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
