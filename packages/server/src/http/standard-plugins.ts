import { loginRoutesPlugin } from "../login/index.js";
import { adminRoutesPlugin } from "./admin/index.js";
import type { ServerPlugin } from "./build-server.js";
import { openApiPlugin } from "./openapi/index.js";

/**
 * The plugins of the other parts of the server, as the CLI serves them. Tests of the core routes
 * leave them out. Root plugins see every route (the OpenAPI document); route plugins each get
 * their own scope.
 */
export function standardPlugins(): {
  rootPlugins: ServerPlugin[];
  plugins: ServerPlugin[];
} {
  return {
    rootPlugins: [openApiPlugin],
    plugins: [adminRoutesPlugin, loginRoutesPlugin],
  };
}
