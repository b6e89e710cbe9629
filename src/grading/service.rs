//! Use cases of enterprise grading: read an enterprise's grade, class and history;
//! override and release (监管人员); record a hazchem guide assessment (监管人员,
//! for the bureau or an expert it engaged); the counts of a territory; recompute.
//! Everyone who sees an enterprise sees its grade (the enterprise's own users too).

use super::domain::{self, Deduction};
use super::json::{AssessmentBody, AssessmentResponse, GradingEntry, GradingView, OverrideBody, ReleaseBody};
use super::{compute, rules};
use crate::audit::{self, Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::domain::Sector;
use crate::entities::{enterprise, enterprise_grading, risk_assessment};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::governance::cap;
use crate::risk::domain::RiskLevel;
use crate::write::{Touched, Tx};
use chrono::{Months, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

/// History entries one view returns.
pub const HISTORY_CAP: u64 = 100;
/// Assessments one list returns.
pub const ASSESSMENTS_CAP: u64 = 100;

impl Audited for enterprise_grading::Model {
    const ENTITY: &'static str = "enterprise_grading";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "enterprise_id": self.enterprise_id, "risk_grade": self.risk_grade,
            "supervision_class": self.supervision_class, "source": self.source, "rules_version": self.rules_version,
            "inputs": self.inputs, "reason": self.reason, "decided_by": self.decided_by,
            "decided_at": canonical::time(self.decided_at),
        })
    }
}

impl Audited for risk_assessment::Model {
    const ENTITY: &'static str = "risk_assessment";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "enterprise_id": self.enterprise_id, "guide_version": self.guide_version,
            "deductions": self.deductions, "direct_red": self.direct_red, "score": self.score, "grade": self.grade,
            "assessed_on": self.assessed_on.to_string(), "valid_until": self.valid_until.to_string(),
            "assessor": self.assessor, "recorded_by": self.recorded_by, "created_at": canonical::time(self.created_at),
        })
    }
}

fn entry(g: enterprise_grading::Model) -> GradingEntry {
    GradingEntry {
        id: g.id,
        risk_grade: g.risk_grade,
        supervision_class: g.supervision_class,
        source: g.source,
        rules_version: g.rules_version,
        inputs: serde_json::from_str(&g.inputs).unwrap_or(Value::Null),
        reason: g.reason,
        decided_by: g.decided_by,
        decided_at: g.decided_at,
    }
}

/// 重大风险（红） … or 未分级.
pub fn grade_label(g: Option<RiskLevel>) -> String {
    g.map_or_else(|| "未分级".to_owned(), |g| g.zh().to_owned())
}

/// An enterprise's grade, class, cap and history, if it is in the user's scope.
pub async fn view<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<GradingView> {
    let e = crate::enterprise::service::get_scoped(db, &user.scope, id).await?;
    let history = enterprise_grading::Entity::find()
        .filter(enterprise_grading::Column::EnterpriseId.eq(e.id))
        .order_by_desc(enterprise_grading::Column::Id)
        .limit(HISTORY_CAP)
        .all(db)
        .await?;
    let class = cap::caps().class_of(&e);
    Ok(GradingView {
        enterprise_id: e.id,
        risk_grade: e.risk_grade,
        risk_grade_label: grade_label(e.risk_grade),
        supervision_class: class.map_or_else(String::new, |c| c.code.clone()),
        supervision_class_name: class.map_or_else(String::new, |c| c.name.clone()),
        yearly_cap: class.map(|c| c.yearly_cap),
        source: e.grading_source,
        graded_at: e.graded_at,
        history: history.into_iter().map(entry).collect(),
    })
}

fn reason_problems(fields: &mut FieldErrors, reason: &str) {
    if reason.trim().is_empty() {
        fields.entry("reason".to_owned()).or_default().push("请填写理由".to_owned());
    }
    crate::limits::check(fields, "reason", "理由", Some(reason), crate::limits::TEXT);
}

async fn regulator_target(tx: &Tx, user: &CurrentUser, id: i64) -> AppResult<enterprise::Model> {
    let e = crate::enterprise::service::get_scoped(tx, &user.scope, id).await?;
    if user.is_bureau_user() && user.has(Role::Regulator) { Ok(e) } else { Err(AppError::Forbidden) }
}

/// Sets an enterprise's grade and class by a regulator's decision, with a reason;
/// recomputation keeps it until it is released.
pub async fn override_grade(tx: &Tx, user: &CurrentUser, id: i64, b: &OverrideBody) -> AppResult<GradingView> {
    let e = regulator_target(tx, user, id).await?;
    let mut fields = FieldErrors::new();
    reason_problems(&mut fields, &b.reason);
    let class = cap::caps().named(&b.supervision_class).map(|c| c.code.clone());
    if class.is_none() {
        let known: Vec<&str> = cap::caps().classes.iter().map(|c| c.code.as_str()).collect();
        fields
            .entry("supervision_class".to_owned())
            .or_default()
            .push(format!("监管类别须为 {} 之一", known.join("、")));
    }
    let Some(class) = class.filter(|_| fields.is_empty()) else { return Err(AppError::Validation(fields)) };
    let at = tx.ctx().at;
    let inputs = json!({ "previous": { "risk_grade": e.risk_grade, "supervision_class": e.supervision_class, "source": e.grading_source } });
    record(tx, user, &e, b.risk_grade, &class, "override", inputs, &b.reason).await?;
    enterprise::Entity::update_many()
        .col_expr(
            enterprise::Column::RiskGrade,
            sea_orm::sea_query::Expr::value(b.risk_grade.map(|g| g.as_str().to_owned())),
        )
        .col_expr(enterprise::Column::SupervisionClass, sea_orm::sea_query::Expr::value(class))
        .col_expr(enterprise::Column::GradingSource, sea_orm::sea_query::Expr::value("override"))
        .col_expr(enterprise::Column::GradedAt, sea_orm::sea_query::Expr::value(at))
        .filter(enterprise::Column::Id.eq(e.id))
        .exec(tx)
        .await?;
    tx.touch(Touched::Register);
    view(tx, user, id).await
}

#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &Tx,
    user: &CurrentUser,
    e: &enterprise::Model,
    grade: Option<RiskLevel>,
    class: &str,
    source: &str,
    inputs: Value,
    reason: &str,
) -> AppResult<()> {
    let row = enterprise_grading::ActiveModel {
        enterprise_id: Set(e.id),
        risk_grade: Set(grade),
        supervision_class: Set(class.to_owned()),
        source: Set(source.to_owned()),
        rules_version: Set(rules::in_force()?.version.clone()),
        inputs: Set(inputs.to_string()),
        reason: Set(Some(reason.trim().to_owned())),
        decided_by: Set(Some(user.id)),
        decided_at: Set(tx.ctx().at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, tx.ctx(), "create", &row).await?;
    Ok(())
}

/// Ends an override: the grade is computed again at once.
pub async fn release(tx: &Tx, user: &CurrentUser, id: i64, b: &ReleaseBody) -> AppResult<GradingView> {
    let e = regulator_target(tx, user, id).await?;
    let mut fields = FieldErrors::new();
    reason_problems(&mut fields, &b.reason);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    if e.grading_source.as_deref() != Some("override") {
        return Err(AppError::conflict("not_overridden", "该企业的等级不是人工调整的，无需恢复"));
    }
    let class = e.supervision_class.clone().unwrap_or_default();
    record(tx, user, &e, e.risk_grade, &class, "release", json!({}), &b.reason).await?;
    enterprise::Entity::update_many()
        .col_expr(enterprise::Column::GradingSource, sea_orm::sea_query::Expr::value(Option::<String>::None))
        .filter(enterprise::Column::Id.eq(e.id))
        .exec(tx)
        .await?;
    regrade(tx, e.id).await?;
    view(tx, user, id).await
}

/// Recomputes one enterprise after a write that feeds its grade.
pub async fn regrade(tx: &Tx, id: i64) -> AppResult<()> {
    compute::run(tx, tx.ctx().at, Some(id), "enterprise").await?;
    tx.touch(Touched::Register);
    Ok(())
}

/// Recomputes the register (监管人员). Grades are a function of the data and the
/// rules, so the whole register is recomputed whoever asks.
pub async fn recompute(tx: &Tx, user: &CurrentUser) -> AppResult<compute::RunReport> {
    if !(user.is_bureau_user() && user.has(Role::Regulator)) {
        return Err(AppError::Forbidden);
    }
    let r = compute::run(tx, tx.ctx().at, None, "request").await?;
    tx.touch(Touched::Register);
    Ok(r)
}

fn assessment_response(a: risk_assessment::Model) -> AssessmentResponse {
    AssessmentResponse {
        id: a.id,
        enterprise_id: a.enterprise_id,
        guide_version: a.guide_version,
        deductions: serde_json::from_str::<Vec<Deduction>>(&a.deductions).unwrap_or_default(),
        direct_red: a.direct_red.split(',').filter(|c| !c.is_empty()).map(ToOwned::to_owned).collect(),
        score: a.score,
        grade: a.grade,
        assessed_on: a.assessed_on,
        valid_until: a.valid_until,
        assessor: a.assessor,
        recorded_by: a.recorded_by,
        created_at: a.created_at,
    }
}

/// Records a guide assessment of a hazchem enterprise and regrades it.
pub async fn assess(tx: &Tx, user: &CurrentUser, id: i64, b: &AssessmentBody) -> AppResult<AssessmentResponse> {
    let e = regulator_target(tx, user, id).await?;
    let rules = rules::in_force()?;
    let guide = &rules.hazchem_guide;
    let today = crate::clock::china_date(tx.ctx().at);
    let scored = domain::guide_score(guide, &b.deductions, &b.direct_red);
    let mut fields = scored.as_ref().err().cloned().unwrap_or_default();
    let mut push = |f: &str, m: &str| fields.entry(f.to_owned()).or_default().push(m.to_owned());
    if e.sector != Sector::HazardousChemicals {
        push("enterprise", "评估诊断分级指南仅适用于危险化学品企业");
    }
    if b.assessor.trim().is_empty() {
        push("assessor", "请填写评估人（专家或评估机构）");
    }
    if b.deductions.len() > 100 || b.direct_red.len() > 20 {
        push("deductions", "扣分项过多");
    }
    let assessed_on = b.assessed_on.unwrap_or(today);
    if assessed_on > today {
        push("assessed_on", "评估日期不能晚于今天");
    }
    crate::limits::check(&mut fields, "assessor", "评估人", Some(&b.assessor), crate::limits::NAME);
    let scored = match scored {
        Ok(s) if fields.is_empty() => s,
        _ => return Err(AppError::Validation(fields)),
    };
    let years = Months::new(12 * guide.valid_years);
    let valid_until = assessed_on.checked_add_months(years).unwrap_or(NaiveDate::MAX);
    let row = risk_assessment::ActiveModel {
        enterprise_id: Set(e.id),
        guide_version: Set(rules.version.clone()),
        deductions: Set(serde_json::to_string(&b.deductions).map_err(anyhow::Error::from)?),
        direct_red: Set(scored.direct_red.join(",")),
        score: Set(scored.score),
        grade: Set(scored.grade),
        assessed_on: Set(assessed_on),
        valid_until: Set(valid_until),
        assessor: Set(b.assessor.trim().to_owned()),
        recorded_by: Set(user.id),
        created_at: Set(tx.ctx().at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, tx.ctx(), "create", &row).await?;
    regrade(tx, e.id).await?;
    Ok(assessment_response(row))
}

/// An enterprise's guide assessments, newest first.
pub async fn assessments<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
) -> AppResult<Vec<AssessmentResponse>> {
    let e = crate::enterprise::service::get_scoped(db, &user.scope, id).await?;
    let rows = risk_assessment::Entity::find()
        .filter(risk_assessment::Column::EnterpriseId.eq(e.id))
        .order_by_desc(risk_assessment::Column::AssessedOn)
        .order_by_desc(risk_assessment::Column::Id)
        .limit(ASSESSMENTS_CAP)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(assessment_response).collect())
}
