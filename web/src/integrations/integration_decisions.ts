// What a security officer may decide about an integration in each state
// (docs/integrations.md): pending → approved | rejected; approved →
// suspended | revoked; suspended → approved (reinstated) | revoked; rejected
// and revoked are final. Nobody decides on their own request.
export type Decision = 'approve' | 'reject' | 'suspend' | 'reinstate' | 'revoke';

export function decisionsFor(status: string): Decision[] {
  switch (status) {
    case 'pending':
      return ['approve', 'reject'];
    case 'approved':
      return ['suspend', 'revoke'];
    case 'suspended':
      return ['reinstate', 'revoke'];
    default:
      return [];
  }
}

// Whether a decision asks for a reason.
export const kReasonNeed: Record<Decision, 'none' | 'optional' | 'required'> = {
  approve: 'none',
  reject: 'required',
  suspend: 'optional',
  reinstate: 'none',
  revoke: 'required',
};

// The state after a decision, as its history names it.
export const kDecisionAction: Record<Decision, 'approved' | 'rejected' | 'suspended' | 'reinstated' | 'revoked'> = {
  approve: 'approved',
  reject: 'rejected',
  suspend: 'suspended',
  reinstate: 'reinstated',
  revoke: 'revoked',
};

// The ones that stop or refuse something: their confirm button is red.
export function isStopping(decision: Decision): boolean {
  return decision === 'reject' || decision === 'suspend' || decision === 'revoke';
}

// The server's limit on a reason, in bytes of UTF-8.
export const kMaxReasonBytes = 2000;
