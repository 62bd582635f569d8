// The connection shape of every paged list (calls, extensions): a page of edges with their cursors, and the total.
export interface Connection<N> {
  edges: Array<{ node: N; cursor: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}
