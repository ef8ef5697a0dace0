// URL-addressable screens (hash history works both under app:// and on the HTTP server).
import { createRouter, createWebHashHistory } from 'vue-router';

export const SCREENS = [
  { path: '/projects', name: 'projects', label: 'Projects', component: () => import('../screens/projects/ProjectsScreen.vue') },
  { path: '/dataset', name: 'dataset', label: 'Dataset', component: () => import('../screens/dataset/DatasetScreen.vue') },
  { path: '/model', name: 'model', label: 'Model', component: () => import('../screens/model/ModelScreen.vue') },
  { path: '/explain', name: 'explain', label: 'Explain', component: () => import('../screens/explain/ExplainScreen.vue') },
  { path: '/bias', name: 'bias', label: 'Bias', component: () => import('../screens/bias/BiasScreen.vue') },
  { path: '/jobs', name: 'jobs', label: 'Jobs', component: () => import('../screens/jobs/JobsScreen.vue') },
] as const;

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/projects' },
    ...SCREENS.map(({ path, name, component }) => ({ path, name, component })),
    { path: '/explain/:view', name: 'explain-view', component: () => import('../screens/explain/ExplainScreen.vue') },
  ],
});
