//! (being written)

use crate::routes::ApiRoutes;

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
}
