export { freePort } from '@fleetwire/devcluster';
