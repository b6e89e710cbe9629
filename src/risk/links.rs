//! What a risk point is linked to: the national checklist items it concerns, and the
//! hazards recorded at it (`hazards.risk_point_id`). A point with an open major
//! hazard is red while the hazard is open — the `open_major_hazard` direct-red
//! condition, decided when the point is read, so it follows the ledger without the
//! ledger's steps knowing about points.

use super::domain::{DirectRed, RiskLevel};
use super::json::{ChecklistItemRef, DirectRedView, PointHazard, RiskPointResponse};
use crate::entities::hazard;
use crate::error::{AppResult, FieldErrors};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};

/// Checklist items one point links at most.
pub const MAX_ITEMS: usize = 20;
/// Hazards one point shows at most (open ones first, newest first).
pub const MAX_HAZARDS: u64 = 50;

/// The text of a national checklist item by code.
fn item_text(code: &str) -> Option<&'static str> {
    crate::checklist::shipped::all()
        .iter()
        .flat_map(|c| c.sections.iter())
        .flat_map(|s| s.items.iter())
        .find(|i| i.code == code)
        .map(|i| i.text.as_str())
}

/// The stored form of the item codes, or their problems (added to `fields`).
pub fn check_items(codes: &[String], fields: &mut FieldErrors) -> String {
    let mut push = |m: String| fields.entry("checklist_items".to_owned()).or_default().push(m);
    if codes.len() > MAX_ITEMS {
        push(format!("关联检查项最多 {MAX_ITEMS} 项"));
    }
    let mut out: Vec<&str> = Vec::new();
    for c in codes.iter().take(MAX_ITEMS).map(|c| c.trim()) {
        if item_text(c).is_none() {
            push(format!("没有检查项“{}”", crate::limits::preview(c)));
        } else if !out.contains(&c) {
            out.push(c);
        }
    }
    out.join(",")
}

/// The linked items with their text.
pub fn items(stored: &str) -> Vec<ChecklistItemRef> {
    stored
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| ChecklistItemRef { code: c.to_owned(), text: item_text(c).unwrap_or_default().to_owned() })
        .collect()
}

/// Whether the `open_major_hazard` condition is in force.
fn enabled() -> AppResult<bool> {
    Ok(super::rules::in_force()?.direct_red.iter().any(|r| r.enabled && r.code == DirectRed::OpenMajorHazard))
}

/// Open hazards shown with a point in a list.
const LISTED_OPEN: usize = 5;

type Open = (HashMap<i64, u64>, HashSet<i64>, HashMap<i64, Vec<PointHazard>>);

/// Among `ids`: open hazards per point, the points with an open major hazard, and the
/// first open hazards of each.
async fn open_at<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<Open> {
    let (mut open, mut major, mut shown) = (HashMap::new(), HashSet::new(), HashMap::<i64, Vec<PointHazard>>::new());
    for chunk in ids.chunks(500) {
        let rows = hazard::Entity::find()
            .filter(hazard::Column::RiskPointId.is_in(chunk.iter().copied()))
            .filter(hazard::Column::IsOpen.eq(true))
            .order_by_desc(hazard::Column::Id)
            .all(db)
            .await?;
        for h in rows {
            let Some(id) = h.risk_point_id else { continue };
            *open.entry(id).or_default() += 1;
            if h.level == crate::hazard::domain::Level::Major {
                major.insert(id);
            }
            let list = shown.entry(id).or_default();
            if list.len() < LISTED_OPEN {
                list.push(point_hazard(h));
            }
        }
    }
    Ok((open, major, shown))
}

fn point_hazard(h: hazard::Model) -> PointHazard {
    PointHazard {
        id: h.id,
        title: h.title,
        level: h.level,
        status: h.status,
        status_label: h.status.zh().to_owned(),
        is_open: h.is_open,
    }
}

/// Applies the open hazards to points read from the table: their count, and red with
/// `open_major_hazard` where one is major. Answers the points whose level changed,
/// with the level they had.
pub async fn apply<C: ConnectionTrait>(db: &C, points: &mut [RiskPointResponse]) -> AppResult<Vec<RiskLevel>> {
    let ids: Vec<i64> = points.iter().map(|p| p.id).collect();
    let (open, major, mut shown) = open_at(db, &ids).await?;
    let on = enabled()?;
    let mut raised = Vec::new();
    for p in points.iter_mut() {
        p.open_hazards = open.get(&p.id).copied().unwrap_or(0);
        p.hazards = shown.remove(&p.id).unwrap_or_default();
        if on && major.contains(&p.id) {
            if p.level != RiskLevel::Red {
                raised.push(p.level);
                p.level = RiskLevel::Red;
                RiskLevel::Red.zh().clone_into(&mut p.level_label);
            }
            let code = DirectRed::OpenMajorHazard;
            p.direct_red.push(DirectRedView { code, label: code.zh().to_owned() });
        }
    }
    Ok(raised)
}

/// The hazards recorded at a point, open first then newest (at most [`MAX_HAZARDS`]).
pub async fn hazards<C: ConnectionTrait>(db: &C, point: i64) -> AppResult<Vec<PointHazard>> {
    let rows = hazard::Entity::find()
        .filter(hazard::Column::RiskPointId.eq(point))
        .filter(hazard::Column::Status.ne("voided"))
        .order_by_desc(Expr::col(hazard::Column::IsOpen))
        .order_by_desc(hazard::Column::Id)
        .limit(MAX_HAZARDS)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(point_hazard).collect())
}

/// 422 unless `point` is a risk point of `enterprise` (for a hazard recorded at it).
pub async fn check_point_of<C: ConnectionTrait>(
    db: &C,
    point: Option<i64>,
    enterprise: Option<i64>,
    fields: &mut FieldErrors,
) -> AppResult<()> {
    let Some(point) = point else { return Ok(()) };
    let row = crate::entities::risk_point::Entity::find_by_id(point).one(db).await?;
    if row.is_none_or(|p| Some(p.enterprise_id) != enterprise) {
        fields.entry("risk_point_id".to_owned()).or_default().push("风险点不存在或不属于该企业".to_owned());
    }
    Ok(())
}
