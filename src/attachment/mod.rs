//! Attachments (附件): photos, documents, audio and video for any record.
//!
//! - **Storage.** Files are content-addressed by SHA-256 in a directory
//!   (`ANJIAN_FILES_DIR`, default `anjian-files` in the working directory,
//!   see [`store`]); the type comes from the file's first bytes, never its
//!   name ([`kind`]). The hash is computed on receipt; a client may send the
//!   hash it computed at capture, and a file that does not match it is
//!   refused (422 `hash_mismatch`) before anything is stored. Capture time,
//!   position (or "unavailable") and device are kept with the row ([`meta`]).
//! - **Two ways in.** A whole file up to 20 MB in one multipart request
//!   (`POST /api/v1/attachments`, and the hazard pages' photos through the
//!   same [`accept`]), or resumable chunks for large files up to 4 GiB
//!   ([`uploads`]), which end with a receipt.
//! - **Owners.** An upload belongs to its uploader until a record claims it
//!   ([`claim`], in the record's own transaction): then it has an owner
//!   (`owner_type`, `owner_id`) and the step that named it (`step_id`, a
//!   hazard event). Who may see it then is the owner module's decision
//!   ([`owner::may_see`]); a new owner type is one line there. Everyone else
//!   gets 404.
//! - **Serving** streams from disk with single byte ranges; photos for
//!   enterprise users are stripped of their metadata ([`strip`], [`serve`]).

mod handlers;
pub mod json;
pub mod kind;
pub mod meta;
pub mod owner;
pub mod range;
mod serve;
mod service;
pub mod store;
pub mod strip;
pub mod uploads;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub use handlers::*;
pub use json::{AttachmentResponse, Receipt, UploadResponse};
pub use kind::sniff;
pub use meta::Capture;
pub use owner::{Owner, OwnerType, claim, of_owner};
pub use serve::*;
pub use service::{accept, clean_name};
pub use store::{path_of, store};

/// Largest file in one request, and largest photo on any route.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/attachments", post(upload_attachment).layer(crate::upload::limit(crate::upload::ATTACHMENT)))
        .route("/api/v1/attachments/{id}", get(download_attachment))
        .route("/api/v1/uploads", post(uploads::create_upload))
        .route(
            "/api/v1/uploads/{id}",
            get(uploads::get_upload).put(uploads::put_chunk).layer(crate::upload::limit(uploads::CHUNK)),
        )
}
