// Roles that manage halls (create, change, archive).
export const kHallManagerRoles = ['administrator', 'clerk'];

export function canManageHalls(roles: readonly string[]): boolean {
  return roles.some((role) => kHallManagerRoles.includes(role));
}

// Roles that see the integrations of third-party portals: administrators
// request them, security officers decide on them (docs/integrations.md).
export const kIntegrationRoles = ['administrator', 'security_officer'];

export function canSeeIntegrations(roles: readonly string[]): boolean {
  return roles.some((role) => kIntegrationRoles.includes(role));
}

export function canRequestIntegrations(roles: readonly string[]): boolean {
  return roles.includes('administrator');
}

export function canDecideIntegrations(roles: readonly string[]): boolean {
  return roles.includes('security_officer');
}
