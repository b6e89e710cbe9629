//! Use cases of risk points: record one (graded on the way in), list an
//! enterprise's points, read one. Who may do what is in [`super::policy`].

use super::domain::{self, Assessment, Method, PointFacts, RiskLevel};
use super::json::{LevelCounts, RiskPointBody, RiskPointList, RiskPointResponse};
use super::{policy, rules};
use crate::audit::{self, Audited, canonical};
use crate::auth::CurrentUser;
use crate::entities::risk_point;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits;
use crate::write::Tx;
use chrono::{Months, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

/// The most points one list returns (an enterprise with more pages through the map).
pub const MAX_LISTED: u64 = 2_000;
/// The largest head count accepted for a place.
pub const MAX_PEOPLE: i32 = 100_000;

impl Audited for risk_point::Model {
    const ENTITY: &'static str = "risk_point";
    const PAYLOAD_VERSION: i32 = 2;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    /// Version 2 adds the place on the site plan and the linked checklist items; the board
    /// token is a key, not a fact, and stays out of the log.
    fn payload(&self) -> Value {
        let mut v = self.payload_v1();
        if let Some(o) = v.as_object_mut() {
            o.insert("plan_x".to_owned(), json!(self.plan_x));
            o.insert("plan_y".to_owned(), json!(self.plan_y));
            o.insert("checklist_items".to_owned(), json!(self.checklist_items));
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

impl risk_point::Model {
    fn payload_v1(&self) -> Value {
        json!({
            "id": self.id, "enterprise_id": self.enterprise_id, "name": self.name, "location": self.location,
            "hazard_factors": self.hazard_factors, "method": self.method, "l": self.l, "e": self.e, "c": self.c,
            "s": self.s, "score": self.score, "scored_level": self.scored_level, "level": self.level,
            "direct_red": self.direct_red, "rules_version": self.rules_version,
            "control_measures": self.control_measures, "emergency_measures": self.emergency_measures,
            "owning_level": self.owning_level, "responsible_person": self.responsible_person,
            "installation_grade": self.installation_grade, "people_exposed": self.people_exposed,
            "fatal_accident_unchanged": self.fatal_accident_unchanged, "review_due": self.review_due.to_string(),
            "created_by": self.created_by, "created_at": canonical::time(self.created_at),
            "updated_at": canonical::time(self.updated_at),
        })
    }
}

fn push(fields: &mut FieldErrors, field: &str, message: &str) {
    fields.entry(field.to_owned()).or_default().push(message.to_owned());
}

/// The assessment a body describes, or its problems (added to `fields`).
fn assessment(b: &RiskPointBody, fields: &mut FieldErrors) -> Option<Assessment> {
    match b.method {
        Method::Lec => {
            if b.s.is_some() {
                push(fields, "s", "S 仅用于 LS 法");
            }
            if b.e.is_none() {
                push(fields, "e", "LEC 法须填写 E（暴露频繁程度）");
            }
            if b.c.is_none() {
                push(fields, "c", "LEC 法须填写 C（后果严重程度）");
            }
            Some(Assessment::Lec { l: b.l, e: b.e?, c: b.c? })
        }
        Method::Ls => {
            for (f, v) in [("e", b.e), ("c", b.c)] {
                if v.is_some() {
                    push(fields, f, "E、C 仅用于 LEC 法");
                }
            }
            // A whole number within 1–5 is checked by the scoring; anything else is refused here.
            #[allow(clippy::cast_possible_truncation)]
            let whole = |v: f64| (v.fract() == 0.0 && v.abs() <= 100.0).then_some(v as i64);
            let Some(s) = b.s else {
                push(fields, "s", "LS 法须填写 S（严重性）");
                return None;
            };
            match (whole(b.l), whole(s)) {
                (Some(l), Some(s)) => Some(Assessment::Ls { l, s }),
                (l, s) => {
                    if l.is_none() {
                        push(fields, "l", "L（可能性）须为 1 到 5 的整数");
                    }
                    if s.is_none() {
                        push(fields, "s", "S（严重性）须为 1 到 5 的整数");
                    }
                    None
                }
            }
        }
    }
}

/// Every problem with a body at once, or the grade it gets.
pub fn check(b: &RiskPointBody, rules: &rules::Rules) -> Result<domain::Grade, AppError> {
    let mut fields = FieldErrors::new();
    for (f, label, v, max) in [
        ("name", "名称", &b.name, limits::NAME),
        ("location", "位置", &b.location, limits::ADDRESS),
        ("hazard_factors", "危险有害因素", &b.hazard_factors, limits::TEXT),
        ("responsible_person", "责任人", &b.responsible_person, limits::SHORT),
    ] {
        if v.trim().is_empty() {
            push(&mut fields, f, &format!("请填写{label}"));
        }
        limits::check(&mut fields, f, label, Some(v), max);
    }
    limits::check(&mut fields, "control_measures", "管控措施", Some(&b.control_measures), limits::TEXT);
    limits::check(&mut fields, "emergency_measures", "应急处置措施", Some(&b.emergency_measures), limits::TEXT);
    if b.installation_grade.is_some_and(|g| !(1..=4).contains(&g)) {
        push(&mut fields, "installation_grade", "重大危险源等级须为 1 到 4");
    }
    if b.people_exposed.is_some_and(|n| !(0..=MAX_PEOPLE).contains(&n)) {
        push(&mut fields, "people_exposed", "作业人数须在 0 到 100000 之间");
    }
    super::links::check_items(&b.checklist_items, &mut fields);
    let a = assessment(b, &mut fields);
    let facts = PointFacts {
        open_major_hazard: false,
        major_hazard_installation: b.installation_grade.and_then(|g| u8::try_from(g).ok()),
        people_in_toxic_or_explosive: b.people_exposed.and_then(|n| u32::try_from(n).ok()),
        fatal_accident_unchanged: b.fatal_accident_unchanged,
    };
    let graded = a.map(|a| domain::grade(rules, a, &facts));
    match graded {
        Some(Ok(g)) if fields.is_empty() => Ok(g),
        Some(Err(more)) => {
            for (f, list) in more {
                fields.entry(f).or_default().extend(list);
            }
            Err(AppError::Validation(fields))
        }
        _ => Err(AppError::Validation(fields)),
    }
}

/// Records a risk point of an enterprise, graded.
pub async fn create(
    tx: &Tx,
    user: &CurrentUser,
    enterprise_id: i64,
    b: &RiskPointBody,
) -> AppResult<RiskPointResponse> {
    let enterprise = crate::enterprise::service::get_scoped(tx, &user.scope, enterprise_id).await?;
    policy::check_write(user, &enterprise)?;
    let rules = rules::in_force()?;
    let g = check(b, rules)?;
    let ctx = tx.ctx();
    let row = new_row(b, &g, &rules.version, enterprise.id, user.id, ctx.at).insert(tx).await?;
    audit::record(tx, ctx, "create", &row).await?;
    crate::grading::service::regrade(tx, enterprise.id).await?;
    let mut out = [RiskPointResponse::from(row)];
    super::links::apply(tx, &mut out).await?;
    let [out] = out;
    Ok(out)
}

/// The row of a new point of `enterprise_id` graded `g`, with a fresh board token.
pub(crate) fn new_row(
    b: &RiskPointBody,
    g: &domain::Grade,
    rules_version: &str,
    enterprise_id: i64,
    user_id: i64,
    at: chrono::DateTime<chrono::Utc>,
) -> risk_point::ActiveModel {
    let review_due = b.review_due.unwrap_or_else(|| next_review(crate::clock::china_date(at)));
    let codes: Vec<&str> = g.direct_red.iter().map(|d| d.as_str()).collect();
    risk_point::ActiveModel {
        enterprise_id: Set(enterprise_id),
        name: Set(b.name.trim().to_owned()),
        location: Set(b.location.trim().to_owned()),
        hazard_factors: Set(b.hazard_factors.trim().to_owned()),
        method: Set(b.method),
        l: Set(b.l),
        e: Set(b.e),
        c: Set(b.c),
        s: Set(b.s),
        score: Set(g.score),
        scored_level: Set(g.scored_level),
        level: Set(g.level),
        direct_red: Set(codes.join(",")),
        rules_version: Set(rules_version.to_owned()),
        control_measures: Set(b.control_measures.trim().to_owned()),
        emergency_measures: Set(b.emergency_measures.trim().to_owned()),
        owning_level: Set(b.owning_level),
        responsible_person: Set(b.responsible_person.trim().to_owned()),
        installation_grade: Set(b.installation_grade),
        people_exposed: Set(b.people_exposed),
        fatal_accident_unchanged: Set(b.fatal_accident_unchanged),
        review_due: Set(review_due),
        plan_x: Set(None),
        plan_y: Set(None),
        board_token: Set(Some(crate::auth::token::new_token())),
        checklist_items: Set(super::links::check_items(&b.checklist_items, &mut FieldErrors::new())),
        created_by: Set(user_id),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
}

/// A year after `today` (the default review period).
fn next_review(today: NaiveDate) -> NaiveDate {
    today.checked_add_months(Months::new(12)).unwrap_or(today)
}

/// An enterprise's risk points, red first then by name, with the counts per level.
pub async fn list<C: ConnectionTrait>(db: &C, user: &CurrentUser, enterprise_id: i64) -> AppResult<RiskPointList> {
    let enterprise = crate::enterprise::service::get_scoped(db, &user.scope, enterprise_id).await?;
    let of = risk_point::Entity::find().filter(risk_point::Column::EnterpriseId.eq(enterprise.id));
    let mut counts = LevelCounts::default();
    let per_level: Vec<(RiskLevel, i64)> = of
        .clone()
        .select_only()
        .column(risk_point::Column::Level)
        .column_as(risk_point::Column::Id.count(), "n")
        .group_by(risk_point::Column::Level)
        .into_tuple()
        .all(db)
        .await?;
    for (level, n) in per_level {
        let n = u64::try_from(n).unwrap_or_default();
        match level {
            RiskLevel::Red => counts.red = n,
            RiskLevel::Orange => counts.orange = n,
            RiskLevel::Yellow => counts.yellow = n,
            RiskLevel::Blue => counts.blue = n,
        }
    }
    let total = counts.red + counts.orange + counts.yellow + counts.blue;
    // Red first: the level codes do not sort by severity, so order by the score's level rank.
    let rows = of
        .order_by_asc(sea_orm::sea_query::Expr::cust(
            "CASE level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END",
        ))
        .order_by_asc(risk_point::Column::Name)
        .order_by_asc(risk_point::Column::Id)
        .limit(MAX_LISTED)
        .all(db)
        .await?;
    let mut items: Vec<RiskPointResponse> = rows.into_iter().map(Into::into).collect();
    // Points red by an open major hazard move to red in the counts and the order.
    for was in super::links::apply(db, &mut items).await? {
        let from = match was {
            RiskLevel::Red => continue,
            RiskLevel::Orange => &mut counts.orange,
            RiskLevel::Yellow => &mut counts.yellow,
            RiskLevel::Blue => &mut counts.blue,
        };
        *from = from.saturating_sub(1);
        counts.red += 1;
    }
    items.sort_by_key(|p| rank(p.level));
    Ok(RiskPointList { items, total, counts })
}

/// Red first.
fn rank(level: RiskLevel) -> u8 {
    match level {
        RiskLevel::Red => 0,
        RiskLevel::Orange => 1,
        RiskLevel::Yellow => 2,
        RiskLevel::Blue => 3,
    }
}

/// One risk point, if its enterprise is in the user's scope (404 otherwise).
pub async fn get<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<RiskPointResponse> {
    let p = risk_point::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    crate::enterprise::service::get_scoped(db, &user.scope, p.enterprise_id).await?;
    let hazards = super::links::hazards(db, p.id).await?;
    let mut out = [RiskPointResponse::from(p)];
    super::links::apply(db, &mut out).await?;
    let [mut out] = out;
    out.hazards = hazards;
    Ok(out)
}
