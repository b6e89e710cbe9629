//! One draw on the public site (`/public/draws/{id}`): its parameters in Chinese,
//! the hashes and the commitment fixed before execution, the secret, entropy and
//! seed after it, and the drawn enterprises (name and credit code as the register
//! shows them) with their teams by certificate number.
//!
//! Decisions where the issue is silent:
//! - The drawn enterprises are paged, 100 a page (a draw may have thousands).
//! - A superseded draw links to its redraw and shows the redraw's reason; a redraw
//!   links back to the draw it replaces. The held secret never shows; the revealed
//!   one does, once the draw is executed.
//! - No user ids, no names of inspectors, no conflict reasons — only counts of the
//!   exclusions and of the enterprises left out of the pool.

use super::page::{PagePath, PageResult, page_number, render};
use super::public_draws::{PageQuery, bureau_names, status_class};
use crate::draw::domain::{SecretMode, SpecialtyRule};
use crate::draw::json::DrawFilter;
use crate::enterprise::domain::Sector;
use crate::entities::{draw, draw_task, enterprise};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Drawn enterprises per page.
const PER_PAGE: u64 = 100;

/// A stratum as shown: its name, its size and how many were drawn.
struct StratumRow {
    name: String,
    size: u32,
    count: u32,
}

/// A drawn enterprise and its team.
struct TaskRow {
    seq: i32,
    name: String,
    credit_code: String,
    team: String,
}

/// A link to a related draw, with the reason of the redraw.
struct Related {
    id: i64,
    reason: String,
}

#[derive(Template)]
#[template(path = "public_draw.html")]
struct DrawPage {
    d: draw::Model,
    bureau: String,
    status: &'static str,
    status_class: &'static str,
    committed_at: String,
    executed_at: String,
    scope: String,
    team_size: u32,
    rule: &'static str,
    weighted: &'static str,
    secret_mode: &'static str,
    strata: Vec<StratumRow>,
    exclusions: usize,
    ineligible: usize,
    tasks: Vec<TaskRow>,
    task_total: u64,
    page: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    superseded_by: Option<Related>,
    supersedes: Option<Related>,
}

/// A stratum key in Chinese: `hazardous_chemicals/B` is 危险化学品 · B类; `all` is 全部企业.
pub(super) fn stratum_name(key: &str) -> String {
    if key == "all" {
        return "全部企业".to_owned();
    }
    key.split('/')
        .map(|part| match part.parse::<Sector>() {
            Ok(s) => s.zh().to_owned(),
            Err(_) if part.chars().count() <= 2 => format!("{part}类"),
            Err(_) => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// What the draw's filter covers, in Chinese.
fn scope_text(filter: &str, subordinates: bool) -> String {
    let f: DrawFilter = serde_json::from_str(filter).unwrap_or_default();
    let mut parts = Vec::new();
    if !f.sectors.is_empty() {
        parts.push(f.sectors.iter().map(|s| s.zh()).collect::<Vec<_>>().join("、"));
    }
    if !f.sub_types.is_empty() {
        parts.push(f.sub_types.iter().map(|s| s.zh()).collect::<Vec<_>>().join("、"));
    }
    if !f.special_topics.is_empty() {
        parts.push(format!("专项：{}", f.special_topics.iter().map(|s| s.zh()).collect::<Vec<_>>().join("、")));
    }
    if parts.is_empty() {
        parts.push("本局管辖的全部在册企业".to_owned());
    }
    if subordinates {
        parts.push("含下级单位的企业和执法人员".to_owned());
    }
    parts.join("；")
}

/// One page of the drawn enterprises, with their names from the register.
async fn task_rows(state: &AppState, draw_id: i64, page: u64) -> Result<Vec<TaskRow>, AppError> {
    let db = state.db.conn();
    let tasks = draw_task::Entity::find()
        .filter(draw_task::Column::DrawId.eq(draw_id))
        .order_by_asc(draw_task::Column::Seq)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(db)
        .await?;
    let ids: Vec<i64> = tasks.iter().map(|t| t.enterprise_id).collect();
    let names: HashMap<i64, (String, String)> = enterprise::Entity::find()
        .select_only()
        .column(enterprise::Column::Id)
        .column(enterprise::Column::Name)
        .column(enterprise::Column::CreditCode)
        .filter(enterprise::Column::Id.is_in(ids))
        .into_tuple::<(i64, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, code)| (id, (name, code)))
        .collect();
    Ok(tasks
        .into_iter()
        .map(|t| {
            let (name, code) = names.get(&t.enterprise_id).cloned().unwrap_or_else(|| (String::new(), t.credit_code));
            let team: Vec<String> = serde_json::from_str(&t.certificate_nos).unwrap_or_default();
            let team = if team.is_empty() {
                "无可派执法人员（未组成检查组）".to_owned()
            } else {
                team.join("、")
            };
            TaskRow { seq: t.seq + 1, name, credit_code: code, team }
        })
        .collect())
}

/// The draw that replaced this one, and the one this one replaces, with the reasons.
async fn related(state: &AppState, d: &draw::Model) -> Result<(Option<Related>, Option<Related>), AppError> {
    let db = state.db.conn();
    let by = match d.superseded_by_id {
        Some(id) => draw::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| Related { id: r.id, reason: r.redraw_reason.unwrap_or_default() }),
        None => None,
    };
    let replaces = d.supersedes_id.map(|id| Related { id, reason: d.redraw_reason.clone().unwrap_or_default() });
    Ok((by, replaces))
}

pub(super) async fn show(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let db = state.db.conn();
    let d = draw::Entity::find_by_id(id).one(db).await.map_err(AppError::from)?.ok_or(AppError::NotFound)?;
    let pool = crate::draw::pool_store::head(db, d.id).await?;
    let task_total =
        draw_task::Entity::find().filter(draw_task::Column::DrawId.eq(d.id)).count(db).await.map_err(AppError::from)?;
    let pages = task_total.div_ceil(PER_PAGE).max(1);
    let page = page_number(&q.page).min(pages);
    let tasks = task_rows(&state, d.id, page).await?;
    let (superseded_by, supersedes) = related(&state, &d).await?;
    let bureau = bureau_names(db, vec![d.bureau_id]).await?.remove(&d.bureau_id).unwrap_or_default();
    let p = &pool.parameters;
    let rule = p.specialty_rule.parse::<SpecialtyRule>().map_or("不限专业", SpecialtyRule::zh);
    let href = |n: u64| format!("/public/draws/{}?page={n}#tasks", d.id);
    render(&DrawPage {
        bureau,
        status: d.status.zh(),
        status_class: status_class(d.status),
        committed_at: super::page::beijing(d.committed_at),
        executed_at: d.executed_at.map(super::page::beijing).unwrap_or_default(),
        scope: scope_text(&d.filter, d.include_subordinates),
        team_size: p.team_size,
        rule,
        weighted: if p.weighted { "按权重（不等概率）抽取" } else { "各层内等概率抽取" },
        secret_mode: match d.secret_mode {
            SecretMode::Server => "系统生成密钥，抽取时公开",
            SecretMode::Regulator => "监管人员自行保管密钥，抽取时公开",
        },
        strata: p
            .strata
            .iter()
            .map(|s| StratumRow { name: stratum_name(&s.key), size: s.size, count: s.count })
            .collect(),
        exclusions: pool.exclusions,
        ineligible: pool.ineligible.len(),
        tasks,
        task_total,
        page,
        pages,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
        superseded_by,
        supersedes,
        d,
    })
}

#[cfg(test)]
mod tests {
    use super::stratum_name;

    #[test]
    fn strata_are_named_in_chinese() {
        assert_eq!(stratum_name("all"), "全部企业");
        assert_eq!(stratum_name("hazardous_chemicals"), "危险化学品");
        assert_eq!(stratum_name("industry_trade/B"), "工贸 · B类");
    }
}
