//! The offline packet (`GET /api/v1/inspections/{id}/offline`): everything a team's
//! tablet needs to run an approved inspection without a network — the inspection
//! with its reserved document numbers and `allowed_actions`, the record with each
//! item's `version`, the enterprise (address, position, contact), its open hazards
//! and the findings of its earlier inspections.
//!
//! Decisions where the issue is silent:
//! - Only the team's inspectors get a packet, and only for an inspection that is
//!   approved or in progress (what they are about to do on site).
//! - The packet says how long the tablet may keep using it: `keep_until` is
//!   [`KEEP_DAYS`] after it was made; the tablet asks for a new one when it can.
//! - The position is given as a `geo:` URI (RFC 5870), which the tablet's own map
//!   app opens, with no map provider named here. Coordinates are as registered.
//! - Open hazards carry no reporter: a tip-off's reporter stays with the regulators.
//! - `record_actions` says what the team may do with the record; the tablet shows
//!   only those buttons and does not re-implement the rules.
//! - Lists are capped ([`MAX_HAZARDS`], [`MAX_FINDINGS`], newest first).

use super::access;
use super::domain::{RecordAction, record_actions};
use super::json::RecordResponse;
use crate::auth::CurrentUser;
use crate::checklist::Severity;
use crate::entities::{enterprise, hazard, inspection, inspection_finding};
use crate::error::AppResult;
use crate::hazard::domain::{Level, Status as HazardStatus};
use crate::inspection::domain::Status;
use crate::inspection::governance::json::InspectionResponse;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

/// Days a tablet may keep using a packet without a new one.
pub const KEEP_DAYS: i64 = 7;
/// Open hazards of the enterprise in a packet, newest first.
pub const MAX_HAZARDS: u64 = 200;
/// Findings of earlier inspections in a packet, newest first.
pub const MAX_FINDINGS: u64 = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct OfflinePacket {
    pub generated_at: DateTime<Utc>,
    /// Until when the tablet may rely on this packet offline.
    pub keep_until: DateTime<Utc>,
    pub inspection: InspectionResponse,
    pub record: RecordResponse,
    /// What the team may do with the record, counting the start made on site.
    pub record_actions: Vec<RecordAction>,
    pub enterprise: OfflineEnterprise,
    pub open_hazards: Vec<OfflineHazard>,
    pub earlier_findings: Vec<OfflineFinding>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfflineEnterprise {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub sector: crate::enterprise::domain::Sector,
    pub address: Option<String>,
    pub principal: Option<String>,
    pub phone: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// `geo:lat,lng` for the tablet's map app, when the position is registered.
    pub map_uri: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfflineHazard {
    pub id: i64,
    pub title: String,
    pub level: Level,
    pub status: HazardStatus,
    pub deadline: Option<NaiveDate>,
    pub found_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfflineFinding {
    pub inspection_id: i64,
    pub item_code: Option<String>,
    pub title: Option<String>,
    pub description: String,
    pub severity: Severity,
    pub deadline: Option<NaiveDate>,
    pub hazard_id: Option<i64>,
    pub found_at: DateTime<Utc>,
}

fn enterprise_view(e: enterprise::Model) -> OfflineEnterprise {
    let map_uri = e.latitude.zip(e.longitude).map(|(lat, lng)| format!("geo:{lat},{lng}"));
    OfflineEnterprise {
        id: e.id,
        name: e.name,
        credit_code: e.credit_code,
        sector: e.sector,
        address: e.address,
        principal: e.principal,
        phone: e.phone,
        latitude: e.latitude,
        longitude: e.longitude,
        map_uri,
    }
}

async fn open_hazards<C: ConnectionTrait>(db: &C, enterprise_id: i64) -> AppResult<Vec<OfflineHazard>> {
    let rows = hazard::Entity::find()
        .filter(hazard::Column::EnterpriseId.eq(enterprise_id))
        .filter(hazard::Column::IsOpen.eq(true))
        .order_by_desc(hazard::Column::FoundAt)
        .limit(MAX_HAZARDS)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|h| OfflineHazard {
            id: h.id,
            title: h.title,
            level: h.level,
            status: h.status,
            deadline: h.deadline,
            found_at: h.found_at,
        })
        .collect())
}

async fn earlier_findings<C: ConnectionTrait>(db: &C, i: &inspection::Model) -> AppResult<Vec<OfflineFinding>> {
    let earlier: Vec<i64> = inspection::Entity::find()
        .select_only()
        .column(inspection::Column::Id)
        .filter(inspection::Column::EnterpriseId.eq(i.enterprise_id))
        .filter(inspection::Column::Status.eq(Status::Completed))
        .filter(inspection::Column::Id.ne(i.id))
        .order_by_desc(inspection::Column::CompletedAt)
        .limit(MAX_FINDINGS)
        .into_tuple()
        .all(db)
        .await?;
    let rows = inspection_finding::Entity::find()
        .filter(inspection_finding::Column::InspectionId.is_in(earlier))
        .order_by_desc(inspection_finding::Column::CreatedAt)
        .limit(MAX_FINDINGS)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|f| OfflineFinding {
            inspection_id: f.inspection_id,
            item_code: f.item_code,
            title: f.title,
            description: f.description,
            severity: f.severity,
            deadline: f.deadline,
            hazard_id: f.hazard_id,
            found_at: f.created_at,
        })
        .collect())
}

/// The packet of inspection `id` for a member of its team.
pub async fn packet<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<OfflinePacket> {
    let i = access::team_inspection(db, user, id).await?;
    access::require_status(&i, &[Status::Approved, Status::InProgress])?;
    let e = crate::inspection::governance::service::enterprise_of(db, &i).await?;
    let record = super::view::record(db, user, &i, crate::clock::china_date(now)).await?;
    let open_hazards = open_hazards(db, e.id).await?;
    let earlier_findings = earlier_findings(db, &i).await?;
    let startable = super::service::check_startable(&i).is_ok();
    let record_actions = record_actions(i.status, startable);
    let inspection = crate::inspection::governance::view::detail(db, user, i).await?;
    Ok(OfflinePacket {
        generated_at: now,
        keep_until: now + chrono::TimeDelta::days(KEEP_DAYS),
        inspection,
        record,
        record_actions,
        enterprise: enterprise_view(e),
        open_hazards,
        earlier_findings,
    })
}
