import { describe, expect, it } from "vitest";
import { firstAdminNotice } from "./first-admin-notice.js";

describe("the first administrator's console notice", () => {
  it("shows the name, the password and the file holding it", () => {
    expect(
      firstAdminNotice({
        created: true,
        username: "admin",
        password: "Abc123",
        passwordFile: "/srv/tl/var/initial-admin-password",
      }),
    ).toBe(
      "\n" +
        "  tokenleader: first start, an administrator was created.\n" +
        "    username: admin\n" +
        "    password: Abc123\n" +
        "  The password is also in /srv/tl/var/initial-admin-password (mode 0600).\n" +
        "  Change it (adminops passwd -n admin) and delete that file; it is not shown again.\n\n",
    );
  });

  it("says that an existing initial-admin-password was kept, and whose it is", () => {
    const notice = firstAdminNotice({
      created: true,
      username: "admin",
      password: "Abc123",
      passwordFile: "/srv/tl/var/initial-admin-password.2",
    });
    expect(notice).toBe(
      "\n" +
        "  tokenleader: first start, an administrator was created.\n" +
        "    username: admin\n" +
        "    password: Abc123\n" +
        "  The password is also in /srv/tl/var/initial-admin-password.2 (mode 0600).\n" +
        "  Change it (adminops passwd -n admin) and delete that file; it is not shown again.\n" +
        "  /srv/tl/var/initial-admin-password was left as it was: it belongs to another database.\n\n",
    );
  });
});
