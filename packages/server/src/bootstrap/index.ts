export {
  BOOTSTRAP_NAME,
  BOOTSTRAP_ROLE,
  BOOTSTRAP_USERNAME,
  type BootstrapResult,
  bootstrapFirstAdmin,
  generateInitialPassword,
  INITIAL_PASSWORD_FILE,
} from "./bootstrap-admin.js";
export { firstAdminNotice } from "./first-admin-notice.js";
