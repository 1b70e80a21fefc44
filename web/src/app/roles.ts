// Roles that manage halls (create, change, archive).
export const kHallManagerRoles = ['administrator', 'clerk'];

export function canManageHalls(roles: readonly string[]): boolean {
  return roles.some((role) => kHallManagerRoles.includes(role));
}
