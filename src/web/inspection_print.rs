//! The printable 执法文书 of an inspection (`/inspections/{id}/documents/{type}`): an
//! A4 page with the issuing bureau, the title and number from the templates, the
//! enterprise, the body, the signature blocks and the bureau's 救济告知.
//!
//! The bodies of the 检查审批表及现场检查方案 and the 送达回证 are drawn here from the
//! governance records; every other type's body comes from
//! `crate::inspection::record::sheets::body` (the on-site record), and the page says
//! so in Chinese when there is none yet.

use super::page::{PagePath, PageResult, PageUser, beijing, render};
use crate::entities::{bureau, inspection, inspection_document};
use crate::error::{AppError, AppResult};
use crate::inspection::domain::{DocumentStatus, DocumentType, MemberRole};
use crate::inspection::governance::{documents, relief, service, templates, view};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use sea_orm::{ConnectionTrait, EntityTrait};

/// A document's body: label–value rows, an HTML fragment from the record, or nothing yet.
pub enum Body {
    Rows(Vec<(String, String)>),
    Html(String),
    Missing,
}

#[derive(Template)]
#[template(path = "inspection_print.html")]
struct PrintPage {
    inspection_id: i64,
    bureau: String,
    title: String,
    number: String,
    voided: Option<String>,
    enterprise: String,
    body: Body,
    signatures: Vec<String>,
    relief: String,
}

async fn approval_rows<C: ConnectionTrait>(db: &C, i: &inspection::Model) -> AppResult<Vec<(String, String)>> {
    let team = view::members(db, i.id).await?;
    let who = |roles: &[MemberRole]| {
        team.iter()
            .filter(|m| roles.contains(&m.role))
            .map(|m| match &m.certificate_no {
                Some(c) => format!("{}（执法证号 {c}）", m.name),
                None => m.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let lists =
        view::pinned(i).iter().map(|c| format!("{}（{} 版，{} 项）", c.title, c.version, c.items)).collect::<Vec<_>>();
    let mut rows = vec![
        ("检查方式".to_owned(), i.kind.zh().to_owned()),
        ("计划检查日期".to_owned(), i.planned_date.format("%Y年%-m月%-d日").to_string()),
        ("检查组组长".to_owned(), who(&[MemberRole::Leader])),
        ("执法人员".to_owned(), who(&[MemberRole::Inspector])),
        (
            "随行专家".to_owned(),
            Some(who(&[MemberRole::Expert])).filter(|s| !s.is_empty()).unwrap_or_else(|| "无".into()),
        ),
        ("检查表".to_owned(), if lists.is_empty() { "—".into() } else { lists.join("；") }),
        ("现场检查方案".to_owned(), i.plan_text.clone()),
    ];
    if let Some(r) = &i.cap_reason {
        rows.push(("超频次检查审批理由".to_owned(), r.clone()));
    }
    let approved = i.approved_at.map_or_else(|| "待审批".to_owned(), |t| format!("已批准（{}）", beijing(t)));
    rows.push(("审批意见".to_owned(), approved));
    Ok(rows)
}

async fn service_rows<C: ConnectionTrait>(
    db: &C,
    i: &inspection::Model,
    address: String,
) -> AppResult<Vec<(String, String)>> {
    let mut rows = vec![("送达地点".to_owned(), address)];
    for d in documents::of_inspection(db, i.id).await? {
        if let (Some(on), Some(m), Some(to)) = (d.served_on, &d.service_method, &d.served_to) {
            rows.push((format!("{}（{}）", d.kind.zh(), d.number), format!("{on}，{m}，受送达人：{to}")));
        }
    }
    if rows.len() == 1 {
        rows.push(("送达文书".to_owned(), "尚未登记送达".to_owned()));
    }
    Ok(rows)
}

/// The current document of `kind`, else the newest voided one (shown as voided).
async fn document_of<C: ConnectionTrait>(db: &C, id: i64, kind: DocumentType) -> AppResult<inspection_document::Model> {
    if let Some(d) = documents::current(db, id, kind).await? {
        return Ok(d);
    }
    let all = documents::of_inspection(db, id).await?;
    all.into_iter().rev().find(|d| d.kind == kind).ok_or_else(|| {
        AppError::conflict("document_not_reserved", format!("本检查尚无{}文号（检查批准后预留）", kind.zh()))
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, slug)): PagePath<(i64, String)>,
) -> PageResult {
    let kind = documents::from_slug(&slug).ok_or(AppError::NotFound)?;
    let db = state.db.conn();
    let found = service::get_visible(db, &user, id).await?;
    let doc = document_of(db, id, kind).await?;
    let b =
        bureau::Entity::find_by_id(found.bureau_id).one(db).await.map_err(AppError::from)?.ok_or(AppError::NotFound)?;
    let firm = service::enterprise_of(db, &found).await?;
    let tpl = templates::template(kind, &b.region_code);
    let body = match kind {
        DocumentType::ApprovalForm => Body::Rows(approval_rows(db, &found).await?),
        DocumentType::ServiceReceipt => {
            Body::Rows(service_rows(db, &found, firm.address.clone().unwrap_or_default()).await?)
        }
        _ => crate::inspection::record::sheets::body(db, &found, kind).await?.map_or(Body::Missing, Body::Html),
    };
    render(&PrintPage {
        inspection_id: id,
        relief: relief::notice(db, &b).await?,
        bureau: b.name,
        title: tpl.title,
        number: doc.number,
        voided: (doc.status == DocumentStatus::Voided).then(|| doc.void_reason.unwrap_or_default()),
        enterprise: firm.name,
        body,
        signatures: tpl.signatures,
    })
}
