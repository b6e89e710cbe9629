//! Signatures on the 现场检查记录 (WSL art. 68): each team inspector with the
//! certificate number the team was formed with, and the inspected unit's 负责人
//! — or the 负责人's refusal, recorded with a witness and a reason, which opens a
//! to-do for the bureau's regulators to make the report art. 68 requires.
//!
//! Decisions: the tablet is passed round, so the signed-in team inspector may
//! record a fellow team inspector's signature (`user_id`); each signer signs
//! once (409 `already_signed`); a signature is an image uploaded first.

use super::access;
use super::domain::SignerKind;
use super::json::SignatureRequest;
use crate::attachment::Owner;
use crate::audit;
use crate::auth::{CurrentUser, Role};
use crate::entities::{attachment, enterprise, inspection, inspection_signature, user};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits::{self, SHORT, TEXT};
use crate::todo::{Assignee, NewTodo};
use crate::write::Tx;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

fn push(fields: &mut FieldErrors, field: &str, message: impl Into<String>) {
    fields.entry(field.to_owned()).or_default().push(message.into());
}

fn filled(v: Option<&String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Who signs: (user id, name, certificate number) of an inspector, or the 负责人's name.
async fn signer(
    tx: &Tx,
    user: &CurrentUser,
    i: &inspection::Model,
    req: &SignatureRequest,
    fields: &mut FieldErrors,
) -> AppResult<(Option<i64>, String, Option<String>)> {
    if req.signer == SignerKind::Enterprise {
        let name = filled(req.name.as_ref());
        if name.is_none() {
            push(fields, "name", "请填写被检查单位负责人姓名");
        }
        return Ok((None, name.unwrap_or_default(), None));
    }
    let uid = req.user_id.unwrap_or(user.id);
    let member = access::inspectors(tx, i.id).await?.into_iter().find(|m| m.user_id == uid);
    let Some(member) = member else {
        push(fields, "user_id", "签字人不是本检查组的执法人员");
        return Ok((Some(uid), String::new(), None));
    };
    let cert = member.certificate_no.filter(|c| !c.trim().is_empty());
    if cert.is_none() {
        push(fields, "user_id", "该执法人员没有登记执法证号，不能签字");
    }
    let name = user::Entity::find_by_id(uid).one(tx).await?.map(|u| u.display_name).unwrap_or_default();
    Ok((Some(uid), name, cert))
}

async fn check_image(tx: &Tx, id: Option<i64>, fields: &mut FieldErrors) -> AppResult<()> {
    let Some(id) = id else { return Ok(()) };
    let row = attachment::Entity::find_by_id(id).one(tx).await?;
    if row.is_some_and(|a| !a.content_type.starts_with("image/")) {
        push(fields, "attachment_id", "签名须为图片");
    }
    Ok(())
}

fn check_body(req: &SignatureRequest, fields: &mut FieldErrors) {
    limits::check(fields, "name", "姓名", req.name.as_deref(), SHORT);
    limits::check(fields, "witness", "见证人", req.witness.as_deref(), SHORT);
    limits::check(fields, "reason", "拒签原因", req.reason.as_deref(), TEXT);
    if req.refused {
        if req.signer == SignerKind::Inspector {
            push(fields, "refused", "执法人员不能拒绝签字");
        }
        if filled(req.witness.as_ref()).is_none() {
            push(fields, "witness", "拒绝签字须记录见证人");
        }
        if filled(req.reason.as_ref()).is_none() {
            push(fields, "reason", "请填写拒签原因或情况");
        }
        if req.attachment_id.is_some() {
            push(fields, "attachment_id", "拒绝签字时不能上传签名");
        }
    } else if req.attachment_id.is_none() {
        push(fields, "attachment_id", "请先手写签名");
    }
}

async fn already_signed(tx: &Tx, i: i64, kind: SignerKind, uid: Option<i64>) -> AppResult<bool> {
    let mut q = inspection_signature::Entity::find()
        .filter(inspection_signature::Column::InspectionId.eq(i))
        .filter(inspection_signature::Column::SignerKind.eq(kind));
    if let Some(uid) = uid {
        q = q.filter(inspection_signature::Column::UserId.eq(uid));
    }
    Ok(q.one(tx).await?.is_some())
}

/// Records a signature or a refusal to sign.
pub async fn sign(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    req: &SignatureRequest,
) -> AppResult<inspection_signature::Model> {
    let i = access::editable(tx, user, id).await?;
    let mut fields = FieldErrors::new();
    check_body(req, &mut fields);
    let (uid, name, cert) = signer(tx, user, &i, req, &mut fields).await?;
    check_image(tx, req.attachment_id, &mut fields).await?;
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    if already_signed(tx, i.id, req.signer, uid).await? {
        return Err(AppError::conflict("already_signed", format!("{name}已在本记录上签字（或已记录拒签）")));
    }
    let ctx = tx.ctx();
    let row = inspection_signature::ActiveModel {
        inspection_id: Set(i.id),
        signer_kind: Set(req.signer),
        user_id: Set(uid),
        name: Set(name),
        certificate_no: Set(cert),
        attachment_id: Set(req.attachment_id),
        refused: Set(req.refused),
        witness: Set(filled(req.witness.as_ref()).filter(|_| req.refused)),
        reason: Set(filled(req.reason.as_ref()).filter(|_| req.refused)),
        signed_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, ctx, "sign", &row).await?;
    if let Some(a) = req.attachment_id {
        crate::attachment::claim(tx, user, &[a], Owner::inspection(i.id, Some(row.id)), "signature", "attachment_id")
            .await?;
    }
    if req.refused {
        refusal_todo(tx, &i, &row).await?;
    }
    Ok(row)
}

/// The to-do for the bureau's regulators: the report WSL art. 68 requires.
async fn refusal_todo(tx: &Tx, i: &inspection::Model, s: &inspection_signature::Model) -> AppResult<()> {
    let name = enterprise::Entity::find_by_id(i.enterprise_id).one(tx).await?.map(|e| e.name).unwrap_or_default();
    let todo = NewTodo {
        assignee: Assignee::BureauRole(i.bureau_id, Role::Regulator),
        kind: "inspection_refusal_report",
        title: format!("{name}负责人拒绝在现场检查记录上签字，须依《安全生产法》第六十八条报告"),
        link: format!("/inspections/{}/record", i.id),
        dedupe_key: format!("inspection:{}:refusal:{}", i.id, s.id),
    };
    crate::todo::add(tx, tx.ctx().at, todo).await
}
