//! Response types of the checklist API.

use super::{ApplicableItem, Checklist, VersionStatus};
use crate::entities::checklist_version as version;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// The bureau that authored a checklist.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthorBureau {
    pub id: i64,
    pub name: String,
}

/// A version of a checklist, without its items.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionEntry {
    /// 1, 2, … in the order the versions were stored.
    pub seq: i32,
    /// The header's version label.
    pub version: String,
    pub title: String,
    /// The content hash: what inspections and self-inspections pin.
    pub hash: String,
    pub created_at: DateTime<Utc>,
    /// Whether this is the version that applies now.
    pub current: bool,
    pub status: VersionStatus,
    pub item_count: i32,
    /// Items whose wording is not verified against the official text (未核实).
    pub unverified_count: i32,
}

impl From<&version::Model> for VersionEntry {
    fn from(v: &version::Model) -> Self {
        Self {
            seq: v.seq,
            version: v.version.clone(),
            title: v.title.clone(),
            hash: v.content_hash.clone(),
            created_at: v.created_at,
            current: v.status == VersionStatus::Current,
            status: v.status,
            item_count: v.item_count,
            unverified_count: v.unverified_count,
        }
    }
}

/// A checklist with its versions, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistEntry {
    pub checklist_id: String,
    /// The title of the newest version.
    pub title: String,
    /// A national checklist (shipped with the system).
    pub national: bool,
    /// The authoring bureau; none for a national checklist.
    pub bureau: Option<AuthorBureau>,
    /// The bureau retired the checklist: no version applies.
    pub retired: bool,
    pub versions: Vec<VersionEntry>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistsResponse {
    pub items: Vec<ChecklistEntry>,
    /// More versions exist than were listed (at most 2,000 are).
    pub truncated: bool,
}

/// One version with its full content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistVersionResponse {
    pub checklist_id: String,
    pub national: bool,
    pub bureau: Option<AuthorBureau>,
    #[serde(flatten)]
    pub entry: VersionEntry,
    pub checklist: Checklist,
}

/// The items that apply to an enterprise, from every checklist in force for it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistItemsResponse {
    pub enterprise_id: i64,
    pub items: Vec<ApplicableItemView>,
    /// More items applied than were listed (at most 10,000 are).
    pub truncated: bool,
}

/// A retired checklist's newest version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RetiredResponse {
    pub checklist_id: String,
    pub retired: bool,
    pub version: VersionEntry,
}

/// An applicable item as the API sends it: the item's fields and where it comes from
/// (one flat object; the item's own type refuses unknown fields, so it is not
/// flattened into a documented schema).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicableItemView {
    pub checklist_id: String,
    pub checklist_title: String,
    pub checklist_version: String,
    /// The content hash of the checklist version (what a record pins).
    pub checklist_hash: String,
    pub section: String,
    pub code: String,
    pub text: String,
    pub basis: String,
    pub severity: super::Severity,
    pub penalty_basis: Option<String>,
    pub applicability: super::Applicability,
    /// Whether the wording is verified against the official text.
    pub verified: bool,
}

impl From<ApplicableItem> for ApplicableItemView {
    fn from(a: ApplicableItem) -> Self {
        let i = a.item;
        Self {
            checklist_id: a.checklist_id,
            checklist_title: a.checklist_title,
            checklist_version: a.checklist_version,
            checklist_hash: a.checklist_hash,
            section: a.section,
            code: i.code,
            text: i.text,
            basis: i.basis,
            severity: i.severity,
            penalty_basis: i.penalty_basis,
            applicability: i.applicability,
            verified: i.verified,
        }
    }
}
