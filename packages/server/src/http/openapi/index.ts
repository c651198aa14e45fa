export { DOCS_PATH, OPENAPI_PATH, openApiPlugin } from "./openapi-plugin.js";
