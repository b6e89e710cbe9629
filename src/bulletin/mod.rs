//! Bulletins (通报). A job builds an internal bulletin per bureau for each
//! period (half a month by default, `ANJIAN_BULLETIN_PERIOD=month` for
//! monthly): new, closed and overdue hazards by sector in the bureau's
//! territory, the overdue major hazards, and the progress of every open listed
//! major hazard (status, 挂牌 level, deadline, overdue, days left) — a bulletin
//! that lists a major hazard is that hazard's 通报 (`bulletin_items`), shown in
//! the 一单 and on the hazard's page. Bulletins are internal (practice note
//! O9): publishing selected overdue major hazards on the public page
//! `/public/bulletins` (enterprise, title, deadline — no personal data, no
//! reporter) takes two people of the bureau: a regulator proposes, a user with
//! the approver role who is not the proposer approves (or returns it). Building
//! is idempotent: one bulletin per (bureau, period) by a unique index.

pub mod build;
pub mod handlers_api;
pub mod items;
pub mod publish;

use crate::audit::{Audited, canonical};
use crate::entities::bulletin;
use crate::routes::{ApiRoutes, routes};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use handlers_api::*;

crate::coded::coded_enum! {
    /// Whether a bulletin is still internal (草稿) or published (已发布).
    pub enum BulletinStatus in "通报状态" {
        Draft = "draft" / "草稿",
        Published = "published" / "已发布",
    }
}

/// Hazard figures of one sector in a bulletin's period.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SectorFigures {
    pub sector: Option<String>,
    /// Recorded in the period.
    pub new: i64,
    /// Closed in the period.
    pub closed: i64,
    /// Open and past the deadline at the end of the period.
    pub overdue: i64,
}

/// An overdue major hazard named in a bulletin.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OverdueMajor {
    pub hazard_id: i64,
    pub enterprise_name: String,
    pub title: String,
    pub deadline: Option<NaiveDate>,
    pub days_overdue: i64,
}

/// The progress of an open listed major hazard at the end of a bulletin's period.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MajorProgress {
    pub hazard_id: i64,
    pub enterprise_name: String,
    pub title: String,
    pub status: crate::hazard::domain::Status,
    /// The 挂牌督办 level, once assigned (交办).
    pub supervision_level: Option<crate::hazard::domain::SupervisionLevel>,
    pub deadline: Option<NaiveDate>,
    /// Overdue at the end of the period (`hazard::domain::is_overdue`).
    pub overdue: bool,
    /// Days from the period's end to the deadline (negative: overdue by).
    pub days_left: Option<i64>,
}

/// What a bulletin says.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Content {
    pub bureau_name: String,
    pub by_sector: Vec<SectorFigures>,
    pub overdue_majors: Vec<OverdueMajor>,
    /// Every open listed major hazard of the territory and its progress (bulletins built before this list have none).
    #[serde(default)]
    pub majors: Vec<MajorProgress>,
}

impl Audited for bulletin::Model {
    const ENTITY: &'static str = "bulletin";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "bureau_id": self.bureau_id,
            "period_start": canonical::opt_date(Some(self.period_start)),
            "period_end": canonical::opt_date(Some(self.period_end)), "status": self.status,
            "content": self.content, "created_at": canonical::time(self.created_at),
            "published_at": self.published_at.map(canonical::time), "published_by": self.published_by,
            "version": self.version,
        })
    }
}

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(list_bulletins))
        .routes(routes!(get_bulletin))
        .routes(routes!(propose_publication))
        .routes(routes!(decide_publication))
}
