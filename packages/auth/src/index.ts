export { hashPassword, parseBasicAuth, VerifiedCredentials, verifyPassword } from './passwords.ts';
export { bearerToken, generateToken, hashToken, TokenSet } from './tokens.ts';
