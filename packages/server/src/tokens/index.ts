export {
  createTokenIssuer,
  type IssuedToken,
  type IssuedTokenClaims,
  type TokenIssuer,
  type TokenIssuerOptions,
} from "./issue-token.js";
export { acceptedAlgorithms, keySetKeySource } from "./key-set-source.js";
export { createTokenVerifier, type TokenVerifier } from "./verify-server-token.js";
