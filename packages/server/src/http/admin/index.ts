export { adminRoutesPlugin } from "./admin-routes-plugin.js";
export {
  ADMIN_ROUTES,
  type AdminRouteMethod,
  type AdminRouteName,
  type AdminRouteSpec,
} from "./route-rules.js";
