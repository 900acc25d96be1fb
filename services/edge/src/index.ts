export { startClusterEdge } from './cluster.ts';
export { type EdgeDependencies, type RunningEdge, startEdge } from './edge.ts';
