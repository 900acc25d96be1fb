export { type ClusterWorker, startClusterWorker } from './cluster.ts';
export { type RunningWorker, startSoleWorker, type WorkerDependencies } from './sole.ts';
