//! Enterprise self-inspection (隐患排查), issue 11: (being written)

use crate::routes::ApiRoutes;

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
}
