//! The register of enforcement inspectors (执法检查人员名录库), issue 11: (being written)

use crate::routes::ApiRoutes;

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
}
