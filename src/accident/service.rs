//! Use cases of the accident register: record an accident (graded from its figures),
//! list the accidents of the caller's territory, read one.
//!
//! Decisions:
//! - Bureau 监管人员 record accidents; every bureau user in scope reads them; an
//!   enterprise's own users read its accidents. The accident belongs to the
//!   enterprise's supervising bureau, or, for an operator not in the register, to
//!   the recording user's bureau.
//! - The grade is never sent by the client: it is computed from the figures.

use super::domain::{self, AccidentGrade};
use super::json::{AccidentResponse, CreateAccident};
use crate::audit::{self, Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::entities::accident;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::json::ListResponse;
use crate::limits;
use crate::write::Tx;
use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

/// The most accidents one list returns (newest first).
pub const MAX_LISTED: u64 = 500;
/// The largest head count accepted.
pub const MAX_PEOPLE: i32 = 10_000;
/// The largest loss accepted, in yuan (10¹³).
pub const MAX_LOSS_YUAN: i64 = 10_000_000_000_000;

impl crate::scope::Owned for accident::Entity {
    fn bureau() -> Self::Column {
        accident::Column::BureauId
    }
    fn enterprise() -> Option<Self::Column> {
        Some(accident::Column::EnterpriseId)
    }
}

impl Audited for accident::Model {
    const ENTITY: &'static str = "accident";
    const PAYLOAD_VERSION: i32 = 2;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    /// Version 2 adds `operator_credit_code`; version 1 entries are read without it.
    fn payload_of_version(&self, version: i32) -> Option<Value> {
        match version {
            1 => {
                let mut v = self.payload();
                v.as_object_mut().map(|o| o.remove("operator_credit_code"));
                Some(v)
            }
            2 => Some(self.payload()),
            _ => None,
        }
    }

    fn payload(&self) -> Value {
        json!({"operator_credit_code": self.operator_credit_code,
            "id": self.id, "bureau_id": self.bureau_id, "enterprise_id": self.enterprise_id,
            "operator_name": self.operator_name, "occurred_at": canonical::time(self.occurred_at),
            "accident_type": self.accident_type, "place": self.place, "summary": self.summary,
            "deaths": self.deaths, "missing": self.missing, "serious_injuries": self.serious_injuries,
            "direct_loss_yuan": self.direct_loss_yuan, "grade": self.grade,
            "reported_at": self.reported_at.map(canonical::time), "created_by": self.created_by,
            "created_at": canonical::time(self.created_at), "updated_at": canonical::time(self.updated_at),
        })
    }
}

fn push(fields: &mut FieldErrors, field: &str, message: &str) {
    fields.entry(field.to_owned()).or_default().push(message.to_owned());
}

/// Every problem with a new accident at once (the enterprise is checked by the caller).
pub fn check(b: &CreateAccident, now: chrono::DateTime<chrono::Utc>) -> Result<AccidentGrade, AppError> {
    let mut fields = FieldErrors::new();
    let operator = b.operator_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    match (b.enterprise_id, operator) {
        (None, None) => push(&mut fields, "enterprise_id", "请选择企业，或填写不在名录中的生产经营单位名称"),
        (Some(_), Some(_)) => push(&mut fields, "operator_name", "已选择企业时不填写单位名称"),
        _ => {}
    }
    limits::check(&mut fields, "operator_name", "单位名称", operator, limits::NAME);
    if let Some(code) = b.operator_credit_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        if operator.is_none() {
            push(&mut fields, "operator_credit_code", "统一社会信用代码只用于不在名录中的生产经营单位");
        } else if let Err(e) = crate::enterprise::domain::CreditCode::parse(code) {
            push(&mut fields, "operator_credit_code", &e.to_string());
        }
    }
    for (f, label, v, max) in
        [("place", "事故地点", &b.place, limits::ADDRESS), ("summary", "事故简要经过", &b.summary, limits::TEXT)]
    {
        if v.trim().is_empty() {
            push(&mut fields, f, &format!("请填写{label}"));
        }
        limits::check(&mut fields, f, label, Some(v), max);
    }
    if b.occurred_at > now + Duration::minutes(5) {
        push(&mut fields, "occurred_at", "发生时间晚于当前时间");
    }
    if b.reported_at.is_some_and(|r| r < b.occurred_at) {
        push(&mut fields, "reported_at", "报告时间早于发生时间");
    }
    for (f, label, v) in [
        ("deaths", "死亡人数", b.deaths),
        ("missing", "失踪人数", b.missing),
        ("serious_injuries", "重伤人数", b.serious_injuries),
    ] {
        if !(0..=MAX_PEOPLE).contains(&v) {
            push(&mut fields, f, &format!("{label}须在 0 到 {MAX_PEOPLE} 之间"));
        }
    }
    if !(0..=MAX_LOSS_YUAN).contains(&b.direct_loss_yuan) {
        push(&mut fields, "direct_loss_yuan", "直接经济损失须在 0 到 10 万亿元之间");
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    Ok(grade_of(b.deaths, b.missing, b.serious_injuries, b.direct_loss_yuan))
}

/// The grade of checked figures (none negative).
pub fn grade_of(deaths: i32, missing: i32, serious_injuries: i32, direct_loss_yuan: i64) -> AccidentGrade {
    let count = |v: i32| u32::try_from(v).unwrap_or_default();
    let loss = u64::try_from(direct_loss_yuan).unwrap_or_default();
    domain::grade(count(deaths), count(missing), count(serious_injuries), loss)
}

/// The answer for one accident, with its flags.
pub async fn respond<C: ConnectionTrait>(db: &C, a: accident::Model) -> AppResult<AccidentResponse> {
    let mut flags = super::reports::flags_of(db, std::slice::from_ref(&a)).await?;
    let mut r = AccidentResponse::from(a);
    r.flags = flags.remove(&r.id).unwrap_or_default();
    Ok(r)
}

/// Records an accident, graded.
pub async fn create(tx: &Tx, user: &CurrentUser, b: &CreateAccident) -> AppResult<AccidentResponse> {
    user.require_any(&[Role::Regulator])?;
    let own = crate::scope::own_bureau(tx, user).await?;
    let enterprise = match b.enterprise_id {
        Some(id) => match crate::enterprise::service::get_scoped(tx, &user.scope, id).await {
            Ok(e) => Some(e),
            Err(AppError::NotFound) => return Err(AppError::validation("enterprise_id", "企业不存在或不在本辖区")),
            Err(e) => return Err(e),
        },
        None => None,
    };
    let ctx = tx.ctx();
    let grade = check(b, ctx.at)?;
    let row = accident::ActiveModel {
        bureau_id: Set(enterprise.as_ref().map_or(own.id, |e| e.supervising_bureau_id)),
        enterprise_id: Set(enterprise.as_ref().map(|e| e.id)),
        operator_name: Set(b.operator_name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned)),
        operator_credit_code: Set(b
            .operator_credit_code
            .as_deref()
            .and_then(|c| crate::enterprise::domain::CreditCode::parse(c).ok())
            .map(|c| c.as_str().to_owned())),
        occurred_at: Set(b.occurred_at),
        accident_type: Set(b.accident_type),
        place: Set(b.place.trim().to_owned()),
        summary: Set(b.summary.trim().to_owned()),
        deaths: Set(b.deaths),
        missing: Set(b.missing),
        serious_injuries: Set(b.serious_injuries),
        direct_loss_yuan: Set(b.direct_loss_yuan),
        grade: Set(grade),
        reported_at: Set(b.reported_at),
        created_by: Set(user.id),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, ctx, "create", &row).await?;
    // Accidents feed the enterprise's grade (`crate::grading`).
    if let Some(e) = row.enterprise_id {
        crate::grading::service::regrade(tx, e).await?;
    }
    respond(tx, row).await
}

/// The accidents the user may see, newest first (at most [`MAX_LISTED`]).
pub async fn list<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<ListResponse<AccidentResponse>> {
    let query = crate::scope::scoped(accident::Entity::find(), &user.scope);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(accident::Column::OccurredAt)
        .order_by_desc(accident::Column::Id)
        .limit(MAX_LISTED)
        .all(db)
        .await?;
    let mut flags = super::reports::flags_of(db, &rows).await?;
    let items = rows
        .into_iter()
        .map(|a| {
            let mut r = AccidentResponse::from(a);
            r.flags = flags.remove(&r.id).unwrap_or_default();
            r
        })
        .collect();
    Ok(ListResponse { items, total })
}

/// One accident in the user's scope (404 otherwise).
pub async fn get<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<AccidentResponse> {
    respond(db, crate::scope::get::<accident::Entity, _>(db, &user.scope, id).await?).await
}
