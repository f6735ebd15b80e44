import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './page.css';

// Same origin as the page: the API serves both /graphiql and /graphql.
const fetcher = createGraphiQLFetcher({ url: '/graphql' });

const defaultQuery = `# Minsheng: the city's livelihood services.
# Signed-in queries need a token: {"authorization": "Bearer <token>"} under Headers below
# (npm run token -- --role CITIZEN). Ctrl+Enter runs the query.

query Search {
  services(filter: { search: "公积金" }, first: 5) {
    totalCount
    edges { node { id title department { name } stats { voteScore uses30d } } }
  }
}
`;

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} />
  </StrictMode>,
);
