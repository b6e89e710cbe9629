//! The printable documents (文书) of a hazard as A4 pages: the bureau's name
//! (`#doc-bureau`), the number (`#doc-number`), the facts, no navigation when
//! printed. Opening one that has no number yet issues it, when the user may
//! (see `crate::document`); others see only the documents already issued.

use super::page::{PagePath, PageResult, PageUser, render};
use crate::auth::CurrentUser;
use crate::document::sheet::{self, Sheet};
use crate::document::{self as doc, DocumentKind};
use crate::entities::hazard;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;

#[derive(Template)]
#[template(path = "print_document.html")]
struct PrintPage {
    s: Sheet,
    hazard_id: i64,
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, slug)): PagePath<(i64, String)>,
) -> PageResult {
    let kind = DocumentKind::from_slug(&slug).ok_or(AppError::NotFound)?;
    let db = state.db.conn();
    let h = crate::hazard::service::get_visible(db, &user, id).await?;
    let d = match doc::stored(db, id, kind).await? {
        Some(d) => d,
        None if user.is_bureau_user() && kind.issuers().iter().any(|r| user.has(*r)) => {
            state.write(user.actor(), async |tx| doc::issue(tx, &user, id, kind).await).await?
        }
        None => return Err(AppError::conflict("document_not_issued", "该文书尚未出具").into()),
    };
    let s = sheet::build(db, &d, &h).await?;
    render(&PrintPage { s, hazard_id: id })
}

/// A link to one of a hazard's documents on its page.
pub struct DocLink {
    pub href: String,
    pub label: &'static str,
    /// The number when issued; empty when opening the link issues it.
    pub number: String,
}

/// The documents of a hazard the user may open: those issued, and those the
/// user may issue now.
pub async fn links(state: &AppState, user: &CurrentUser, h: &hazard::Model) -> Result<Vec<DocLink>, AppError> {
    let issued = doc::issued(state.db.conn(), h.id).await?;
    let mut out = Vec::new();
    for kind in DocumentKind::ALL.iter().copied() {
        let number = issued.iter().find(|d| d.kind == kind).map(|d| d.number.clone());
        let may = user.is_bureau_user() && kind.issuers().iter().any(|r| user.has(*r)) && kind.refusal(h).is_none();
        if number.is_some() || may {
            let href = format!("/hazards/{}/documents/{}", h.id, kind.slug());
            out.push(DocLink { href, label: kind.zh(), number: number.unwrap_or_default() });
        }
    }
    Ok(out)
}

/// The hazard page's 文书 card: the employees' notice sheet, the 双报告 and
/// 通报 of a major hazard, and the documents.
pub struct Papers {
    pub documents: Vec<DocLink>,
    pub major: bool,
    /// When the 双报告 was filed (Beijing time), and the date it went to the workers' congress.
    pub reported: Option<(String, String)>,
    pub may_report: bool,
    /// The period of the latest bulletin that listed the hazard (its 通报).
    pub notified: Option<String>,
}

pub async fn papers(state: &AppState, user: &CurrentUser, h: &hazard::Model) -> Result<Papers, AppError> {
    use crate::hazard::policy;
    let rec = policy::Record::of(h)?;
    let notified = crate::bulletin::items::latest_for(state.db.conn(), &[h.id]).await?;
    Ok(Papers {
        documents: links(state, user, h).await?,
        major: policy::report_wanted(&rec),
        reported: h.reported_at.map(|at| {
            let congress = h.report_congress_on.map_or_else(|| "—".to_owned(), |d| d.to_string());
            (super::page::beijing(at), congress)
        }),
        may_report: policy::may_file_report(&policy::Actor::new(user, h.enterprise_id), &rec),
        notified: notified.get(&h.id).map(crate::bulletin::items::BulletinRef::period),
    })
}
