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
export { UsersFileError, type UsersFileErrorCode } from "./users-file-document.js";
export {
  type UsersFileUser,
  type UsersFileWfc,
  validateUsersFileEntry,
} from "./users-file-entry.js";
export {
  type AuthenticatedFileUser,
  type FileAuthResult,
  type ReloadOutcome,
  type UsersFileChange,
  type UsersFileChangeListener,
  UsersFileStore,
  type UsersFileStoreOptions,
} from "./users-file-store.js";
