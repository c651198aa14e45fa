export {
  checkDeploymentIssuer,
  type IssuerCheck,
  IssuerMismatchError,
} from "./deployment-issuer.js";
export {
  createDeploymentSettingIfAbsent,
  type DeploymentSettingName,
  readDeploymentSetting,
  writeDeploymentSetting,
} from "./deployment-settings.js";
