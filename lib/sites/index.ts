export { ADAPTERS } from './registry';
