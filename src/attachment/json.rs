//! Response and request types of the attachment API.

use super::meta::Capture;
use crate::auth::CurrentUser;
use crate::entities::{attachment, upload_session};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An uploaded file. Capture position and device are shown to bureau users
/// and to the uploader only (they could identify an employee who reported).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentResponse {
    pub id: i64,
    pub sha256: String,
    pub content_type: String,
    pub size: i64,
    pub file_name: String,
    pub purpose: Option<String>,
    /// The kind of record it belongs to (`hazard`), once claimed.
    pub owner_type: Option<String>,
    pub owner_id: Option<i64>,
    /// The owner's timeline step that named it.
    pub step_id: Option<i64>,
    pub uploaded_at: DateTime<Utc>,
    pub captured_at: Option<DateTime<Utc>>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub position_unavailable: bool,
    pub device: Option<String>,
    /// SHA-256 of the original of a photo the device resized before sending.
    pub original_sha256: Option<String>,
}

impl AttachmentResponse {
    /// The file as `viewer` may see it.
    pub fn for_viewer(a: attachment::Model, viewer: &CurrentUser) -> Self {
        let full = viewer.is_bureau_user() || viewer.id == a.uploaded_by;
        Self {
            id: a.id,
            sha256: a.sha256,
            content_type: a.content_type,
            size: a.size,
            file_name: a.file_name,
            purpose: a.purpose,
            owner_type: a.owner_type,
            owner_id: a.owner_id,
            step_id: a.step_id,
            uploaded_at: a.uploaded_at,
            captured_at: a.captured_at,
            latitude: a.latitude.filter(|_| full),
            longitude: a.longitude.filter(|_| full),
            accuracy_m: a.accuracy_m.filter(|_| full),
            position_unavailable: a.position_unavailable,
            device: a.device.filter(|_| full),
            original_sha256: a.original_sha256,
        }
    }
}

/// Declares a file to upload in chunks (分片上传).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CreateUploadRequest {
    /// The file's name (cut to 200 characters, directories removed).
    #[schema(max_length = 200)]
    pub file_name: String,
    /// Total size in bytes, 1 to 4 GiB.
    pub size: i64,
    /// What the client declares of the capture; a declared hash is checked on completion.
    #[serde(flatten)]
    pub capture: Capture,
}

/// Proof that a complete file was received and stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    pub attachment_id: i64,
    pub sha256: String,
    pub size: i64,
    pub received_at: DateTime<Utc>,
}

impl From<&attachment::Model> for Receipt {
    fn from(a: &attachment::Model) -> Self {
        Self { attachment_id: a.id, sha256: a.sha256.clone(), size: a.size, received_at: a.uploaded_at }
    }
}

/// A resumable upload: how far it got, and its receipt once complete.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UploadResponse {
    pub id: i64,
    pub file_name: String,
    pub size: i64,
    /// Bytes received so far: the next chunk starts here.
    pub received: i64,
    /// Dropped with its bytes if no chunk arrives before then.
    pub expires_at: DateTime<Utc>,
    pub receipt: Option<Receipt>,
}

impl UploadResponse {
    pub fn new(s: &upload_session::Model, receipt: Option<Receipt>) -> Self {
        Self {
            id: s.id,
            file_name: s.file_name.clone(),
            size: s.size,
            received: s.received,
            expires_at: s.expires_at,
            receipt,
        }
    }
}
