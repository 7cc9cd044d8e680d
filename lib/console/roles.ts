// What each console role may do. Every server action asks `allows` itself; hiding a button is only
// a courtesy to the user, never the defence.
export const ROLES = ['owner', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** read: orders, list, CSV; money: capture, cancel, refund; settings: capture mode; users and audit: the owner's. */
export type Permission = 'read' | 'money' | 'settings' | 'users' | 'audit';

const GRANTS: Record<Role, readonly Permission[]> = {
  owner: ['read', 'money', 'settings', 'users', 'audit'],
  operator: ['read', 'money'],
  viewer: ['read'],
};

export function allows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
