//! Register use cases: create, read within scope, list, update, licences, status.

use super::domain::{
    CoordSystem, CreditCode, EnterpriseStatus, RegionCode, Sector, SpecialTopic, StandardizationGrade, SubType,
    gcj02_to_wgs84,
};
use super::draft::{self, Draft, Problem};
use super::json::{CreateEnterpriseRequest, UpdateEnterpriseRequest};
use crate::audit::{self, AuditCtx, Audited, canonical};
use crate::auth::Scope;
use crate::bureau;
use crate::entities::{enterprise, enterprise_status_history as history, licence};
use crate::error::{AppResult, DbResultExt, FieldErrors};
use crate::limits;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};
use serde_json::{Value, json};

impl Audited for enterprise::Model {
    const ENTITY: &'static str = "enterprise";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "credit_code": self.credit_code, "name": self.name, "sector": self.sector,
            "sub_types": self.sub_types, "special_topics": self.special_topics,
            "region_code": self.region_code, "supervising_bureau_id": self.supervising_bureau_id,
            "address": self.address, "legal_representative": self.legal_representative,
            "principal": self.principal, "phone": self.phone, "email": self.email,
            "employees": self.employees, "above_designated_size": self.above_designated_size,
            "major_hazard_grade": self.major_hazard_grade,
            "standardization_grade": self.standardization_grade,
            "standardization_date": canonical::opt_date(self.standardization_date),
            "longitude": self.longitude, "latitude": self.latitude, "status": self.status,
            "version": self.version, "created_at": canonical::time(self.created_at),
            "updated_at": canonical::time(self.updated_at),
        })
    }
}

/// Payload version 2 adds the suspension order fields (`event`, `hazard_id`);
/// version 1 is still checked for entries written before them.
impl Audited for history::Model {
    const ENTITY: &'static str = "enterprise_status";
    const PAYLOAD_VERSION: i32 = 2;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        let mut v = self.payload_v1();
        if let Some(o) = v.as_object_mut() {
            o.insert("event".to_owned(), json!(self.event));
            o.insert("hazard_id".to_owned(), json!(self.hazard_id));
        }
        v
    }

    fn payload_of_version(&self, version: i32) -> Option<Value> {
        match version {
            1 => Some(self.payload_v1()),
            2 => Some(self.payload()),
            _ => None,
        }
    }
}

impl history::Model {
    fn payload_v1(&self) -> Value {
        json!({
            "id": self.id, "enterprise_id": self.enterprise_id, "status": self.status,
            "previous_status": self.previous_status, "reason": self.reason, "actor_id": self.actor_id,
            "changed_at": canonical::time(self.changed_at),
        })
    }
}

impl Audited for licence::Model {
    const ENTITY: &'static str = "licence";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "enterprise_id": self.enterprise_id, "licence_type": self.licence_type,
            "number": self.number, "issuer": self.issuer,
            "valid_from": canonical::opt_date(self.valid_from), "valid_to": canonical::opt_date(self.valid_to),
            "created_at": canonical::time(self.created_at), "updated_at": canonical::time(self.updated_at),
        })
    }
}

pub fn to_field_errors(problems: Vec<Problem>) -> FieldErrors {
    let mut fields = FieldErrors::new();
    for (field, _, message) in problems {
        fields.entry(field.to_owned()).or_default().push(message);
    }
    fields
}

fn trimmed(s: Option<&String>) -> Option<String> {
    s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn coords(
    lng: Option<f64>,
    lat: Option<f64>,
    sys: Option<CoordSystem>,
    problems: &mut Vec<Problem>,
) -> Option<(f64, f64)> {
    match (lng, lat) {
        (Some(lng), Some(lat)) if sys == Some(CoordSystem::Gcj02) => Some(gcj02_to_wgs84(lng, lat)),
        (Some(lng), Some(lat)) => Some((lng, lat)),
        (None, None) => None,
        _ => {
            problems.push(("coords", "invalid_number", "经度和纬度须同时填写".to_owned()));
            None
        }
    }
}

/// A region code that is well formed and exists.
fn parse_region(text: &str, problems: &mut Vec<Problem>) -> Option<RegionCode> {
    let checked = RegionCode::parse(text)
        .map_err(|e| e.to_string())
        .and_then(|r| crate::bureau::regions::check_exists(&r).map(|()| r));
    checked.map_err(|m| problems.push(("region_code", "invalid_region", m))).ok()
}

/// Parses a create request into a draft, listing every problem.
pub fn draft_from_create(req: &CreateEnterpriseRequest) -> (Option<CreditCode>, Draft, Vec<Problem>) {
    let mut problems = Vec::new();
    let code = CreditCode::parse(&req.credit_code)
        .map_err(|e| problems.push(("credit_code", "invalid_credit_code", e.to_string())))
        .ok();
    let region = parse_region(&req.region_code, &mut problems);
    let d = Draft {
        name: Some(req.name.trim().to_owned()),
        sector: Some(req.sector),
        sub_types: Some(req.sub_types.clone()),
        special_topics: Some(req.special_topics.clone()),
        region,
        address: trimmed(req.address.as_ref()),
        legal_representative: trimmed(req.legal_representative.as_ref()),
        principal: trimmed(req.principal.as_ref()),
        phone: trimmed(req.phone.as_ref()),
        email: trimmed(req.email.as_ref()),
        employees: req.employees,
        above_designated_size: req.above_designated_size,
        major_hazard_grade: req.major_hazard_grade.map(|g| g.as_str().to_owned()),
        standardization_grade: req.standardization_grade,
        standardization_date: req.standardization_date,
        coords: coords(req.longitude, req.latitude, req.coord_system, &mut problems),
    };
    problems.extend(draft::check_formats(&d));
    problems.extend(draft::check_consistency(req.sector, &req.sub_types, &req.special_topics));
    (code, d, problems)
}

/// Parses a partial update.
pub fn draft_from_update(req: &UpdateEnterpriseRequest) -> (Draft, Vec<Problem>) {
    let mut problems = Vec::new();
    let region = req.region_code.as_deref().and_then(|r| parse_region(r, &mut problems));
    let d = Draft {
        name: req.name.as_ref().map(|n| n.trim().to_owned()),
        sector: req.sector,
        sub_types: req.sub_types.clone(),
        special_topics: req.special_topics.clone(),
        region,
        address: trimmed(req.address.as_ref()),
        legal_representative: trimmed(req.legal_representative.as_ref()),
        principal: trimmed(req.principal.as_ref()),
        phone: trimmed(req.phone.as_ref()),
        email: trimmed(req.email.as_ref()),
        employees: req.employees,
        above_designated_size: req.above_designated_size,
        major_hazard_grade: req.major_hazard_grade.map(|g| g.as_str().to_owned()),
        standardization_grade: req.standardization_grade,
        standardization_date: req.standardization_date,
        coords: coords(req.longitude, req.latitude, req.coord_system, &mut problems),
    };
    problems.extend(draft::check_formats(&d));
    if let Some(p) = req.status_reason.as_deref().and_then(|r| limits::problem(r, limits::TEXT)) {
        problems.push(("status_reason", p.code(), p.message("变更原因")));
    }
    (d, problems)
}

/// Restricts a query to what a scope may see (see [`crate::scope`]).
pub fn scoped(query: Select<enterprise::Entity>, scope: &Scope) -> Select<enterprise::Entity> {
    crate::scope::scoped(query, scope)
}

/// One enterprise if the scope may see it; otherwise 404, never 403.
pub async fn get_scoped<C: ConnectionTrait>(db: &C, scope: &Scope, id: i64) -> AppResult<enterprise::Model> {
    crate::scope::get::<enterprise::Entity, _>(db, scope, id).await
}

/// A new register row: operating, unrated, version 1, with the draft applied.
pub fn new_row(ctx: &AuditCtx, code: &CreditCode, d: &Draft, supervising_bureau_id: i64) -> enterprise::ActiveModel {
    let mut m = enterprise::ActiveModel {
        credit_code: Set(code.as_str().to_owned()),
        supervising_bureau_id: Set(supervising_bureau_id),
        special_topics: Set(String::new()),
        standardization_grade: Set(StandardizationGrade::Unrated),
        supervision_class: Set(None),
        risk_grade: Set(None),
        grading_source: Set(None),
        graded_at: Set(None),
        status: Set(EnterpriseStatus::Operating),
        version: Set(1),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        // Every optional column starts as NULL explicitly, so the model as
        // written is the row as stored (the import builds its change-log
        // payloads from it without reading rows back).
        address: Set(None),
        legal_representative: Set(None),
        principal: Set(None),
        phone: Set(None),
        email: Set(None),
        employees: Set(None),
        above_designated_size: Set(None),
        major_hazard_grade: Set(None),
        standardization_date: Set(None),
        longitude: Set(None),
        latitude: Set(None),
        ..Default::default()
    };
    draft::apply(d, &mut m);
    m
}

/// Inserts a new enterprise with its first status entry, audited.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    code: &CreditCode,
    d: &Draft,
    supervising_bureau_id: i64,
) -> AppResult<enterprise::Model> {
    let row = new_row(ctx, code, d, supervising_bureau_id)
        .insert(db)
        .await
        .on_unique("credit_code_taken", &format!("统一社会信用代码 {} 已登记", code.as_str()))?;
    audit::record(db, ctx, "create", &row).await?;
    record_status(db, ctx, row.id, EnterpriseStatus::Operating, None, Some("登记")).await?;
    Ok(row)
}

/// Appends a status-history entry.
pub async fn record_status<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    enterprise_id: i64,
    status: EnterpriseStatus,
    previous: Option<EnterpriseStatus>,
    reason: Option<&str>,
) -> AppResult<history::Model> {
    let actor_id = ctx.actor.strip_prefix("user:").and_then(|s| s.parse().ok());
    let row = history::ActiveModel {
        enterprise_id: Set(enterprise_id),
        status: Set(status),
        previous_status: Set(previous),
        reason: Set(reason.map(str::to_owned)),
        actor_id: Set(actor_id),
        changed_at: Set(ctx.at),
        event: Set(None),
        hazard_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(db, ctx, "create", &row).await?;
    Ok(row)
}

/// Applies a draft to a stored row (bumping its version), audited.
pub async fn update_row<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    row: enterprise::Model,
    d: &Draft,
    supervising_bureau_id: Option<i64>,
    status: Option<EnterpriseStatus>,
) -> AppResult<enterprise::Model> {
    let version = row.version;
    let before = row.clone();
    let mut m: enterprise::ActiveModel = row.into();
    draft::apply(d, &mut m);
    if let Some(b) = supervising_bureau_id {
        m.supervising_bureau_id = Set(b);
    }
    if let Some(s) = status {
        m.status = Set(s);
    }
    m.version = Set(version + 1);
    m.updated_at = Set(ctx.at);
    let updated = m.update(db).await?;
    audit::record(db, ctx, "update", &updated).await?;
    crate::events::enterprise_changed(db, ctx, &before, &updated).await?;
    Ok(updated)
}

/// The bureau that supervises a region by default: that of its county-level region.
pub async fn default_bureau<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, region: &RegionCode) -> AppResult<i64> {
    Ok(bureau::ensure_for_region(db, ctx, region).await?.id)
}

/// Parses stored comma lists back into the typed enums (for consistency checks).
pub fn stored_kinds(row: &enterprise::Model) -> (Option<Sector>, Vec<SubType>, Vec<SpecialTopic>) {
    let sector = Some(row.sector);
    let subs = draft::split_codes(&row.sub_types).iter().filter_map(|s| s.parse().ok()).collect();
    let topics = draft::split_codes(&row.special_topics).iter().filter_map(|s| s.parse().ok()).collect();
    (sector, subs, topics)
}

/// Names of enterprises by id (no scope check: for labelling rows already in scope).
pub async fn names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<std::collections::HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        use sea_orm::QuerySelect;
        let rows: Vec<(i64, String)> = enterprise::Entity::find()
            .select_only()
            .columns([enterprise::Column::Id, enterprise::Column::Name])
            .filter(enterprise::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}
