//! The steps on an inspection's documents: record the service (送达), void a number.

use super::json::ServeBody;
use super::policy::{self, Action};
use super::{documents, service};
use crate::auth::CurrentUser;
use crate::entities::inspection_document as doc;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::domain::DocumentType;
use crate::write::Tx;

/// The ways of service (送达方式) a form offers; others are accepted as typed.
pub const METHODS: [&str; 6] = ["直接送达", "留置送达", "邮寄送达", "电子送达", "委托送达", "公告送达"];

async fn current(tx: &Tx, user: &CurrentUser, id: i64, kind: DocumentType, action: Action) -> AppResult<doc::Model> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let i = service::get_visible(tx, user, id).await?;
    let (actor, record) = service::judge(tx, user, &i).await?;
    policy::check(&actor, record, action)?;
    documents::current(tx, id, kind)
        .await?
        .ok_or_else(|| AppError::conflict("no_document", format!("本检查没有可用的{}文号", kind.zh())))
}

/// Records how and when a document was served; an order's deadline counts from `served_on`.
pub async fn serve(tx: &Tx, user: &CurrentUser, id: i64, kind: DocumentType, b: &ServeBody) -> AppResult<doc::Model> {
    let d = current(tx, user, id, kind, Action::ServeDocument).await?;
    let mut fields = FieldErrors::new();
    if b.method.trim().is_empty() {
        fields.insert("method".into(), vec!["请填写送达方式".into()]);
    }
    if b.served_to.trim().is_empty() {
        fields.insert("served_to".into(), vec!["请填写受送达人".into()]);
    }
    crate::limits::check(&mut fields, "method", "送达方式", Some(&b.method), 40);
    crate::limits::check(&mut fields, "served_to", "受送达人", Some(&b.served_to), crate::limits::NAME);
    if b.served_on > crate::clock::china_date(tx.now()) {
        fields.entry("served_on".into()).or_default().push("送达日期不能晚于今天".into());
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    documents::serve(tx, &d, b.served_on, b.method.trim(), b.served_to.trim()).await
}

/// A regulator voids a document's number, with the reason (the number is kept).
pub async fn void(tx: &Tx, user: &CurrentUser, id: i64, kind: DocumentType, reason: &str) -> AppResult<doc::Model> {
    let d = current(tx, user, id, kind, Action::VoidDocument).await?;
    if reason.trim().is_empty() {
        return Err(AppError::validation("reason", "请填写作废理由"));
    }
    let mut fields = FieldErrors::new();
    crate::limits::check(&mut fields, "reason", "作废理由", Some(reason), crate::limits::TEXT);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    documents::void(tx, &d, reason.trim()).await
}
