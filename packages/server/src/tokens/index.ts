export {
  createTokenIssuer,
  type IssuedToken,
  type IssuedTokenClaims,
  type TokenIssuer,
  type TokenIssuerOptions,
} from "./issue-token.js";
export { acceptedAlgorithms, keySetKeySource } from "./key-set-source.js";
export {
  createTokenSigner,
  type SignedToken,
  type SigningKeyChoice,
  type StandardClaims,
  type TokenSigner,
  type TokenSignerOptions,
} from "./sign-token.js";
export {
  createTokenVerifier,
  type SignedTokenCheck,
  type TokenVerifier,
  type TokenVerifierOptions,
  tokenVerifierOptions,
} from "./verify-server-token.js";
