export type { AuthenticatedFileUser, FileAuthResult } from "./authenticate-file-user.js";
export {
  addUser,
  changeRoles,
  listUsers,
  parseRoleList,
  removeUser,
  setPassword,
} from "./localusers-command.js";
export {
  MAX_USERS_FILE_BYTES,
  parseUsersFile,
  type UsersFileParseResult,
} from "./parse-users-file.js";
export type { LocalUsersIo } from "./terminal-io.js";
export type { UsersFileChange } from "./users-file-change.js";
export { UsersFileError, type UsersFileErrorCode } from "./users-file-document.js";
export {
  type UsersFileUser,
  type UsersFileWfc,
  validateUsersFileEntry,
} from "./users-file-entry.js";
export {
  type ReloadOutcome,
  type UsersFileChangeListener,
  UsersFileStore,
  type UsersFileStoreOptions,
} from "./users-file-store.js";
