// Printed by `tokenleader-auth --help` so that a user without a config file can create one.
// Keep in step with etc/client_configs.yml (a test compares their keys).
export const CLIENT_CONFIG_SAMPLE = `user_auth_info_from: file            # file or OSENV (TL_USER / TL_PASSWORD)
user_auth_info_file_location: ~/tlclient/user_settings.ini
fernet_key_file: ~/tlclient/farnetkeys
tl_public_key: ssh-rsa AAAA… (one line of the server's id_rsa.pub, or leave out to use the JWKS)
ssl_verify: True                     # False disables certificate checks; prefer ca_file
tl_user: user1
tl_url: http://localhost:5001
# tl_jwks_url: http://localhost:5001/.well-known/jwks.json
# tl_issuer: http://localhost:5001      # default: the issuer of <tl_url>/.well-known/openid-configuration
# tl_accept_tokens_without_issuer: no   # yes: accept tokens of tokenleader 1.8 (no "iss")
# tl_clock_leeway_seconds: 60           # iat/nbf further in the future are refused
# ca_file: /etc/tokenleader/ca.pem`;
