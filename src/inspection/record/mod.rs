//! (being written)

pub mod sheets;

use crate::routes::ApiRoutes;

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
}
