export { planTokenleader1Import } from "./plan-tokenleader1.js";
export {
  planWeskitUsersImport,
  readWeskitUsersPlan,
  type WeskitImportOptions,
} from "./plan-weskit-users.js";
export { readTokenleader1Plan } from "./read-tokenleader1-plan.js";
export { parseSourceLocation, type SourceLocation } from "./source-url.js";
