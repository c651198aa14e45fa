// jose is a devDependency of the enforcer (tests mint their own tokens).
import * as jose from "jose";

export { jose };
