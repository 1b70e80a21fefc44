// Payloads of the eGov box HTTP API (/api/v1), as the C++ server sends them.

export interface SessionInfo {
  csrf_token: string;
  must_change_password: boolean;
  must_enroll_totp: boolean;
}

export interface SignInRequest {
  code: string;
  password: string;
  totp?: string;
  recovery_code?: string;
}

export interface DepartmentRef {
  id: string;
  name: string;
}

export type Role = 'employee' | 'councillor' | 'clerk' | 'administrator' | 'security_officer';

// One's own entry (GET /me): the directory entry, then the account's roles
// and flags.
export interface Me extends Employee {
  // The server may add roles this build does not know yet.
  roles: string[];
  status: string;
  totp_enabled: boolean;
  must_change_password: boolean;
  must_enroll_totp: boolean;
}

export interface SessionItem {
  id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string;
  client_address: string;
  current: boolean;
}

export interface TotpEnrolment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

export interface RecoveryCodes {
  recovery_codes: string[];
}

// An entry of the directory of colleagues (GET /employees).
export interface Employee {
  id: string;
  code: string;
  name: string;
  email: string;
  department: DepartmentRef | null;
  position: string;
}

export interface Department {
  id: string;
  name: string;
  employee_count: number;
}

export interface ItemList<T> {
  items: T[];
}

export type PasswordViolation =
  | 'too-short'
  | 'too-long'
  | 'contains-code'
  | 'contains-name'
  | 'same-as-current'
  | 'too-common'
  | 'too-few-character-kinds';
