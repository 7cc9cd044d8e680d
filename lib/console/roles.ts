// What each console role may do. Every server action asks `allows` itself; hiding a button is only
// a courtesy to the user, never the defence.
export const ROLES = ['owner', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * read: orders, list, CSV, alerts; money: capture, cancel, refund; alerts: acknowledge them;
 * settings: capture mode; users and audit: the owner's.
 */
export type Permission = 'read' | 'money' | 'alerts' | 'settings' | 'users' | 'audit';

const GRANTS: Record<Role, readonly Permission[]> = {
  owner: ['read', 'money', 'alerts', 'settings', 'users', 'audit'],
  operator: ['read', 'money', 'alerts'],
  viewer: ['read'],
};

export function allows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
