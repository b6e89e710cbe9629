//! 补报: changed casualty figures or loss of an accident, accepted within the
//! window of 条例 第十三条 ([`super::rules::supplement_until`]) and regraded; every
//! change is kept with the figures and grade before and after and its reason.
//!
//! Decisions:
//! - Only 监管人员 change figures; after the window the answer is 409
//!   `supplement_window_closed` (a later change needs the investigation's report,
//!   which is recorded under the investigation).
//! - The window is checked before the body (a refusal of the state first), and a
//!   change that changes nothing is refused (422) so the history holds only changes.

use super::json::AccidentResponse;
use super::rules::supplement_until;
use super::service::{self, MAX_LOSS_YUAN, MAX_PEOPLE};
use crate::audit::{self, Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::entities::{accident, accident_figure_change as change};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits;
use crate::write::Tx;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// New figures of an accident (补报) and why they changed.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct UpdateFigures {
    #[schema(minimum = 0, maximum = 10_000)]
    pub deaths: i32,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000)]
    pub missing: i32,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000)]
    pub serious_injuries: i32,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub direct_loss_yuan: i64,
    /// Why the figures changed (e.g. 一名重伤人员经抢救无效死亡).
    #[schema(max_length = 5000)]
    pub reason: String,
}

/// One change of the figures, with the grade before and after.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FigureChange {
    pub id: i64,
    pub before: AccidentFigures,
    pub after: AccidentFigures,
    pub reason: String,
    pub changed_by: i64,
    pub changed_at: DateTime<Utc>,
}

/// The figures and the grade they give.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccidentFigures {
    pub deaths: i32,
    pub missing: i32,
    pub serious_injuries: i32,
    pub direct_loss_yuan: i64,
    pub grade: super::domain::AccidentGrade,
    pub grade_label: String,
}

impl From<change::Model> for FigureChange {
    fn from(c: change::Model) -> Self {
        let before = AccidentFigures {
            deaths: c.deaths_before,
            missing: c.missing_before,
            serious_injuries: c.serious_injuries_before,
            direct_loss_yuan: c.direct_loss_yuan_before,
            grade: c.grade_before,
            grade_label: c.grade_before.zh().to_owned(),
        };
        let after = AccidentFigures {
            deaths: c.deaths,
            missing: c.missing,
            serious_injuries: c.serious_injuries,
            direct_loss_yuan: c.direct_loss_yuan,
            grade: c.grade,
            grade_label: c.grade.zh().to_owned(),
        };
        Self { id: c.id, before, after, reason: c.reason, changed_by: c.changed_by, changed_at: c.changed_at }
    }
}

impl Audited for change::Model {
    const ENTITY: &'static str = "accident_figure_change";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "accident_id": self.accident_id, "deaths_before": self.deaths_before,
            "missing_before": self.missing_before, "serious_injuries_before": self.serious_injuries_before,
            "direct_loss_yuan_before": self.direct_loss_yuan_before, "grade_before": self.grade_before,
            "deaths": self.deaths, "missing": self.missing, "serious_injuries": self.serious_injuries,
            "direct_loss_yuan": self.direct_loss_yuan, "grade": self.grade, "reason": self.reason,
            "changed_by": self.changed_by, "changed_at": canonical::time(self.changed_at),
        })
    }
}

fn check(b: &UpdateFigures, a: &accident::Model) -> AppResult<super::domain::AccidentGrade> {
    let mut fields = FieldErrors::new();
    let mut push = |f: &str, m: String| fields.entry(f.to_owned()).or_default().push(m);
    for (f, label, v) in [
        ("deaths", "死亡人数", b.deaths),
        ("missing", "失踪人数", b.missing),
        ("serious_injuries", "重伤人数", b.serious_injuries),
    ] {
        if !(0..=MAX_PEOPLE).contains(&v) {
            push(f, format!("{label}须在 0 到 {MAX_PEOPLE} 之间"));
        }
    }
    if !(0..=MAX_LOSS_YUAN).contains(&b.direct_loss_yuan) {
        push("direct_loss_yuan", "直接经济损失须在 0 到 10 万亿元之间".to_owned());
    }
    if b.reason.trim().is_empty() {
        push("reason", "请填写变化原因".to_owned());
    }
    let same = (b.deaths, b.missing, b.serious_injuries, b.direct_loss_yuan)
        == (a.deaths, a.missing, a.serious_injuries, a.direct_loss_yuan);
    if same {
        push("deaths", "数字与现登记的相同，没有变化".to_owned());
    }
    limits::check(&mut fields, "reason", "变化原因", Some(&b.reason), limits::TEXT);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    Ok(service::grade_of(b.deaths, b.missing, b.serious_injuries, b.direct_loss_yuan))
}

/// Records changed figures within the window and regrades the accident.
pub async fn update(tx: &Tx, user: &CurrentUser, id: i64, b: &UpdateFigures) -> AppResult<AccidentResponse> {
    user.require_any(&[Role::Regulator])?;
    let a = crate::scope::get::<accident::Entity, _>(tx, &user.scope, id).await?;
    let ctx = tx.ctx();
    let until = supplement_until(a.accident_type, a.occurred_at);
    if ctx.at > until {
        let days = if a.accident_type == super::domain::AccidentType::Fire { "7" } else { "30" };
        let message = format!(
            "已超过补报期限（事故发生之日起{days}日内，至 {}），伤亡人数的变化请在事故调查报告中认定",
            crate::clock::beijing(until)
        );
        return Err(AppError::conflict("supplement_window_closed", message));
    }
    let grade = check(b, &a)?;
    let row = change::ActiveModel {
        accident_id: Set(a.id),
        deaths_before: Set(a.deaths),
        missing_before: Set(a.missing),
        serious_injuries_before: Set(a.serious_injuries),
        direct_loss_yuan_before: Set(a.direct_loss_yuan),
        grade_before: Set(a.grade),
        deaths: Set(b.deaths),
        missing: Set(b.missing),
        serious_injuries: Set(b.serious_injuries),
        direct_loss_yuan: Set(b.direct_loss_yuan),
        grade: Set(grade),
        reason: Set(b.reason.trim().to_owned()),
        changed_by: Set(user.id),
        changed_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, ctx, "create", &row).await?;
    let mut active: accident::ActiveModel = a.into();
    active.deaths = Set(b.deaths);
    active.missing = Set(b.missing);
    active.serious_injuries = Set(b.serious_injuries);
    active.direct_loss_yuan = Set(b.direct_loss_yuan);
    active.grade = Set(grade);
    active.updated_at = Set(ctx.at);
    let updated = active.update(tx).await?;
    audit::record(tx, ctx, "update_figures", &updated).await?;
    if let Some(e) = updated.enterprise_id {
        crate::grading::service::regrade(tx, e).await?;
    }
    service::respond(tx, updated).await
}

/// The changes of an accident's figures, oldest first.
pub async fn history<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<Vec<FigureChange>> {
    let a = crate::scope::get::<accident::Entity, _>(db, &user.scope, id).await?;
    let rows = change::Entity::find()
        .filter(change::Column::AccidentId.eq(a.id))
        .order_by_asc(change::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
