// Which main screen is showing once signed in.
export type Route =
  | { name: 'list' }
  | { name: 'register' }
  | { name: 'patient'; id: string; tab: 'demographics' | 'history' }
  | { name: 'edit'; id: string }
  | { name: 'admin'; tab: 'users' | 'settings' | 'backups' | 'audit' | 'held' | 'import' | 'merge' }
  | { name: 'templates' }
  | { name: 'about' }
  /** From a chart's marker: only that patient's conflicts (or one record's). */
  | { name: 'conflicts'; patientId?: string; recordId?: string }
  | { name: 'sync-report' }
  | { name: 'sync-route' }
  | { name: 'recalls' }
  | { name: 'inbox' }
  | { name: 'billing' }
  | { name: 'schedule' };

export const nav: { route: Route } = $state({ route: { name: 'list' } });

export function go(route: Route): void {
  nav.route = route;
}
