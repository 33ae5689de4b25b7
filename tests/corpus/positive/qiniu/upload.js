const qiniu = require("qiniu");

const mac = new qiniu.auth.digest.Mac("V3txElopJrcIOYdTjWo3_OvL1F6oULXcUx1UcDZI", "trmP_XcP8EIa6MgAKn6WdkMCrnA11vCqPy6EZR7m");
const putPolicy = new qiniu.rs.PutPolicy({ scope: "acme-assets" });
