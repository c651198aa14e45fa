// `@tokenleader/client/files`: writing and watching the files the server and the client share
// rules for (keys, secrets, credential files, users.yaml, role_to_acl_map.yml).
export { type AtomicWriteOptions, writeFileAtomic } from "./atomic-file.js";
export { type FileWatcher, type FileWatchOptions, watchFile } from "./watch-file.js";
