//! Opening a penalty case: `POST /api/v1/cases` by a certified inspector, who
//! becomes its handler (承办人) with a second certified inspector of the same bureau
//! (协办人). A general-procedure case waits for 立案 approval; a simple-procedure
//! case is decided on the spot, within the limits of 行政处罚法 art. 51.
//!
//! Decisions:
//! - Cases belong to the handler's bureau and are seen by the users of that bureau
//!   and the bureaus above it; enterprises do not read case files here (what
//!   reaches a party is the served document).
//! - Parties are units and persons; a unit in the register is named by its id
//!   (its name is the register's). Each violation names its party, and the entry
//!   must reach that kind of party (unit, 主要负责人, other responsible person).
//! - A simple-procedure fine must lie within the statutory range: there is no legal
//!   review on the spot to accept a 减轻 reason.

use super::catalogue::{self, FineParty};
use super::domain::{CaseStatus, Decision, PartyKind, PartyRole, Procedure};
use super::json::{CreateCase, NewParty, NewViolation};
use crate::audit::{self, Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::entities::{case, case_party, case_step, case_violation, hazard, inspection, user};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

pub const MAX_PARTIES: usize = 20;
pub const MAX_VIOLATIONS: usize = 50;
pub const MAX_HAZARDS: usize = 50;
pub const MAX_FACTS: usize = 5000;
pub const MAX_NAME: usize = 200;
pub const MAX_NOTE: usize = 5000;
/// The largest amount accepted anywhere (10¹² yuan).
pub const MAX_YUAN: i64 = 1_000_000_000_000;

impl crate::scope::Owned for case::Entity {
    fn bureau() -> Self::Column {
        case::Column::BureauId
    }
    fn enterprise() -> Option<Self::Column> {
        None
    }
}

impl Audited for case::Model {
    const ENTITY: &'static str = "case";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "bureau_id": self.bureau_id, "enterprise_id": self.enterprise_id,
            "inspection_id": self.inspection_id, "hazard_ids": self.hazard_ids, "procedure": self.procedure,
            "status": self.status, "facts": self.facts, "complex": self.complex, "handler_id": self.handler_id,
            "co_handler_id": self.co_handler_id, "filed_by": self.filed_by, "filed_on": self.filed_on,
            "time_limit_days": self.time_limit_days, "hearing_right": self.hearing_right,
            "hearing_officer_id": self.hearing_officer_id, "notified_on": self.notified_on,
            "statement_until": self.statement_until, "reviewer_id": self.reviewer_id, "discussed": self.discussed,
            "decision": self.decision, "decided_by": self.decided_by, "decided_on": self.decided_on,
            "fine_total_yuan": self.fine_total_yuan, "served_on": self.served_on, "payment_due": self.payment_due,
            "paid_yuan": self.paid_yuan, "paid_on": self.paid_on, "closed_on": self.closed_on,
            "published_at": self.published_at.map(canonical::time), "revoked_on": self.revoked_on,
            "withdrawn_at": self.withdrawn_at.map(canonical::time), "origin_case_id": self.origin_case_id,
            "created_by": self.created_by, "created_at": canonical::time(self.created_at),
            "updated_at": canonical::time(self.updated_at), "version": self.version})
    }
}

impl Audited for case_step::Model {
    const ENTITY: &'static str = "case_step";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "case_id": self.case_id, "step": self.step, "actor_id": self.actor_id,
            "at": canonical::time(self.at), "from_status": self.from_status, "to_status": self.to_status,
            "body": self.body})
    }
}

pub(super) fn push(fields: &mut FieldErrors, field: &str, message: impl Into<String>) {
    fields.entry(field.to_owned()).or_default().push(message.into());
}

/// The fine row's party kind for a case party.
pub fn fine_party(kind: PartyKind, role: PartyRole) -> FineParty {
    match (kind, role) {
        (PartyKind::Unit, _) | (_, PartyRole::Unit) => FineParty::Unit,
        (PartyKind::Person, PartyRole::Principal) => FineParty::Principal,
        (PartyKind::Person, PartyRole::Responsible) => FineParty::Responsible,
    }
}

/// Whether a user is a certified inspector (执法证 in force on `today`).
pub fn certified(u: &user::Model, roles: &[Role], today: NaiveDate) -> bool {
    !u.disabled
        && roles.contains(&Role::Inspector)
        && u.certificate_no.as_deref().is_some_and(|c| !c.trim().is_empty())
        && u.certificate_valid_until.is_none_or(|d| d >= today)
}

async fn roles_of<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Vec<Role>> {
    let rows = crate::entities::user_role::Entity::find()
        .filter(crate::entities::user_role::Column::UserId.eq(id))
        .all(db)
        .await?;
    Ok(rows.iter().filter_map(|r| Role::parse(&r.role)).collect())
}

/// A user of `bureau` who may take a duty in its cases: found, active, same bureau.
pub async fn colleague<C: ConnectionTrait>(
    db: &C,
    bureau: i64,
    id: i64,
) -> AppResult<Option<(user::Model, Vec<Role>)>> {
    let Some(u) = user::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
    if u.disabled || u.bureau_id != Some(bureau) {
        return Ok(None);
    }
    let roles = roles_of(db, id).await?;
    Ok(Some((u, roles)))
}

struct Party {
    kind: PartyKind,
    role: PartyRole,
    enterprise_id: Option<i64>,
    name: String,
    id_number: Option<String>,
}

async fn check_party(tx: &Tx, user: &CurrentUser, i: usize, p: &NewParty, f: &mut FieldErrors) -> AppResult<Party> {
    let field = format!("parties[{i}]");
    let mut name = p.name.trim().to_owned();
    let role = match p.kind {
        PartyKind::Unit => PartyRole::Unit,
        PartyKind::Person => match p.role.unwrap_or(PartyRole::Responsible) {
            PartyRole::Unit => {
                push(f, &format!("{field}.role"), "个人当事人的身份应为主要负责人或其他直接责任人员");
                PartyRole::Responsible
            }
            r => r,
        },
    };
    if let Some(id) = p.enterprise_id {
        match crate::enterprise::service::get_scoped(tx, &user.scope, id).await {
            Ok(e) if p.kind == PartyKind::Unit => e.name.clone_into(&mut name),
            Ok(_) => {}
            Err(AppError::NotFound) => push(f, &format!("{field}.enterprise_id"), format!("没有编号为 {id} 的企业")),
            Err(e) => return Err(e),
        }
    }
    if name.is_empty() {
        push(f, &format!("{field}.name"), "请填写当事人名称或姓名");
    }
    crate::limits::check(f, &format!("{field}.name"), "当事人名称", Some(&name), MAX_NAME);
    crate::limits::check(f, &format!("{field}.id_number"), "身份证件号码", p.id_number.as_deref(), 40);
    if p.kind == PartyKind::Unit && p.id_number.is_some() {
        push(f, &format!("{field}.id_number"), "单位当事人不填写身份证件号码");
    }
    let id_number = p.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(ToOwned::to_owned);
    Ok(Party { kind: p.kind, role, enterprise_id: p.enterprise_id, name, id_number })
}

fn check_violation(
    i: usize,
    v: &NewViolation,
    parties: &[Party],
    procedure: Procedure,
    act_on: NaiveDate,
    f: &mut FieldErrors,
) -> AppResult<()> {
    let data = catalogue::data()?;
    let field = format!("violations[{i}]");
    crate::limits::check(f, &format!("{field}.catalogue_code"), "目录编码", Some(&v.catalogue_code), 40);
    crate::limits::check(f, &format!("{field}.stage"), "处罚阶段", v.stage.as_deref(), 40);
    let Some(entry) = data.entry(v.catalogue_code.trim()) else {
        push(
            f,
            &format!("{field}.catalogue_code"),
            format!("目录中没有“{}”", crate::limits::preview(&v.catalogue_code)),
        );
        return Ok(());
    };
    if !data.in_force(entry, act_on) {
        push(
            f,
            &format!("{field}.catalogue_code"),
            format!("{}在违法行为发生之日（{act_on}）不在施行期内", data.citation(entry)),
        );
    }
    let Some(party) = parties.get(v.party) else {
        push(f, &format!("{field}.party"), format!("没有第 {} 个当事人", v.party + 1));
        return Ok(());
    };
    let kind = fine_party(party.kind, party.role);
    if !entry.parties.contains(&kind) {
        push(f, &format!("{field}.party"), format!("{}不适用于{}", data.citation(entry), kind.zh()));
        return Ok(());
    }
    let stage = v.stage.as_deref().unwrap_or("first");
    let Some(fine) = entry.fine(kind, stage) else {
        let stages: Vec<&str> =
            entry.fines.iter().filter(|r| r.party == kind).map(|r| catalogue::stage_zh(&r.stage)).collect();
        push(
            f,
            &format!("{field}.stage"),
            format!(
                "{}对{}没有“{}”的罚则（可选：{}）",
                data.citation(entry),
                kind.zh(),
                catalogue::stage_zh(stage),
                stages.join("、")
            ),
        );
        return Ok(());
    };
    match (procedure, v.fine_yuan) {
        (Procedure::General, Some(_)) => push(f, &format!("{field}.fine_yuan"), "一般程序的罚款在案件处理呈批时提出"),
        (Procedure::Simple, None) => push(f, &format!("{field}.fine_yuan"), "简易程序须填写当场罚款数额"),
        (Procedure::Simple, Some(n)) => match fine.range(None) {
            Some((lo, hi)) if n < lo || n > hi => {
                push(f, &format!("{field}.fine_yuan"), format!("罚款应在法定幅度（{}）内", fine.text()));
            }
            None => push(f, &format!("{field}.fine_yuan"), "按收入比例计算的罚款不适用简易程序"),
            _ => {}
        },
        (Procedure::General, None) => {}
    }
    Ok(())
}

/// The simple procedure's limits per party (行政处罚法 art. 51).
fn check_simple(body: &CreateCase, parties: &[Party], f: &mut FieldErrors) -> AppResult<()> {
    let r = super::rules::rules()?;
    for (i, p) in parties.iter().enumerate() {
        let total: i64 = body.violations.iter().filter(|v| v.party == i).filter_map(|v| v.fine_yuan).sum();
        let (limit, who) = match p.kind {
            PartyKind::Person => (r.simple.person_max_yuan, "公民"),
            PartyKind::Unit => (r.simple.unit_max_yuan, "法人或者其他组织"),
        };
        if total > limit {
            push(
                f,
                "procedure",
                format!("简易程序对{who}的罚款不得超过 {limit} 元（{}：合计 {total} 元），请按一般程序办理", p.name),
            );
        }
    }
    Ok(())
}

async fn check_links(tx: &Tx, user: &CurrentUser, body: &CreateCase, f: &mut FieldErrors) -> AppResult<()> {
    if let Some(id) = body.inspection_id {
        match crate::scope::get::<inspection::Entity, _>(tx, &user.scope, id).await {
            Ok(_) => {}
            Err(AppError::NotFound) => push(f, "inspection_id", format!("没有编号为 {id} 的检查")),
            Err(e) => return Err(e),
        }
    }
    for (i, id) in body.hazard_ids.iter().take(MAX_HAZARDS).enumerate() {
        match crate::scope::get::<hazard::Entity, _>(tx, &user.scope, *id).await {
            Ok(_) => {}
            Err(AppError::NotFound) => push(f, &format!("hazard_ids[{i}]"), format!("没有编号为 {id} 的隐患")),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Opens a case; answers its id.
pub async fn create(tx: &Tx, user: &CurrentUser, body: &CreateCase) -> AppResult<i64> {
    let today = crate::clock::china_date(tx.now());
    let me = user::Entity::find_by_id(user.id).one(tx).await?.ok_or(AppError::Forbidden)?;
    let Some(bureau) = user.bureau.as_ref() else { return Err(AppError::Forbidden) };
    if !certified(&me, &user.roles, today) {
        return Err(AppError::ForbiddenBecause("只有持有效执法证的执法人员可以立案办理".to_owned()));
    }
    let mut f = FieldErrors::new();
    if body.parties.is_empty() {
        push(&mut f, "parties", "请至少填写一个当事人");
    }
    crate::limits::check_list(&mut f, "parties", "当事人", &body.parties, MAX_PARTIES);
    crate::limits::check_list(&mut f, "violations", "违法行为", &body.violations, MAX_VIOLATIONS);
    crate::limits::check_list(&mut f, "hazard_ids", "关联隐患", &body.hazard_ids, MAX_HAZARDS);
    if body.violations.is_empty() {
        push(&mut f, "violations", "请至少选择一项违法行为");
    }
    if body.facts.trim().is_empty() {
        push(&mut f, "facts", "请填写案情");
    }
    crate::limits::check(&mut f, "facts", "案情", Some(&body.facts), MAX_FACTS);
    let act_on = body.act_on.unwrap_or(today);
    if act_on > today {
        push(&mut f, "act_on", "违法行为发生日期不能晚于今天");
    }
    let mut parties = Vec::new();
    for (i, p) in body.parties.iter().take(MAX_PARTIES).enumerate() {
        parties.push(check_party(tx, user, i, p, &mut f).await?);
    }
    for (i, v) in body.violations.iter().take(MAX_VIOLATIONS).enumerate() {
        check_violation(i, v, &parties, body.procedure, act_on, &mut f)?;
    }
    if body.procedure == Procedure::Simple {
        check_simple(body, &parties, &mut f)?;
    }
    match body.co_handler_id {
        None => push(&mut f, "co_handler_id", "请选择协办人：行政处罚须由两名以上执法人员办理"),
        Some(id) if id == user.id => push(&mut f, "co_handler_id", "协办人不能是承办人本人"),
        Some(id) => match colleague(tx, bureau.id, id).await? {
            Some((u, roles)) if certified(&u, &roles, today) => {}
            _ => push(&mut f, "co_handler_id", "协办人应为本局持有效执法证的执法人员"),
        },
    }
    check_links(tx, user, body, &mut f).await?;
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    tx.touch(crate::write::Touched::Cases);
    let row = insert(tx, user, bureau.id, body, &parties, today).await?;
    if row.procedure == Procedure::Simple {
        super::steps::decide_on_the_spot(tx, user, &row).await?;
    }
    Ok(row.id)
}

#[allow(clippy::too_many_lines)] // the case's columns and rows, field by field
async fn insert(
    tx: &Tx,
    user: &CurrentUser,
    bureau: i64,
    body: &CreateCase,
    parties: &[Party],
    today: NaiveDate,
) -> AppResult<case::Model> {
    let now = tx.now();
    let simple = body.procedure == Procedure::Simple;
    let total: i64 = body.violations.iter().filter_map(|v| v.fine_yuan).sum();
    let hazards: Vec<String> = body.hazard_ids.iter().map(ToString::to_string).collect();
    let row = case::ActiveModel {
        bureau_id: Set(bureau),
        enterprise_id: Set(parties
            .iter()
            .find_map(|p| (p.kind == PartyKind::Unit).then_some(p.enterprise_id).flatten())),
        inspection_id: Set(body.inspection_id),
        hazard_ids: Set(hazards.join(",")),
        procedure: Set(body.procedure),
        status: Set(if simple { CaseStatus::Decided } else { CaseStatus::Proposed }),
        facts: Set(body.facts.trim().to_owned()),
        complex: Set(body.complex),
        handler_id: Set(user.id),
        co_handler_id: Set(body.co_handler_id),
        filed_by: Set(None),
        filed_on: Set(simple.then_some(today)),
        time_limit_days: Set(super::rules::rules()?.time_limit.days),
        hearing_right: Set(false),
        hearing_officer_id: Set(None),
        notified_on: Set(None),
        statement_until: Set(None),
        reviewer_id: Set(None),
        discussed: Set(false),
        decision: Set(simple.then_some(Decision::Penalty)),
        decided_by: Set(None),
        decided_on: Set(simple.then_some(today)),
        fine_total_yuan: Set(total),
        served_on: Set(None),
        payment_due: Set(None),
        paid_yuan: Set(0),
        paid_on: Set(None),
        closed_on: Set(None),
        published_at: Set(None),
        revoked_on: Set(None),
        withdrawn_at: Set(None),
        origin_case_id: Set(None),
        created_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    for (i, p) in parties.iter().enumerate() {
        case_party::ActiveModel {
            case_id: Set(row.id),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            kind: Set(p.kind),
            enterprise_id: Set(p.enterprise_id),
            name: Set(p.name.clone()),
            id_number: Set(p.id_number.clone()),
            role: Set(p.role),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for (i, v) in body.violations.iter().enumerate() {
        let position = i32::try_from(i).unwrap_or(i32::MAX);
        case_violation::ActiveModel {
            case_id: Set(row.id),
            position: Set(position),
            party_position: Set(i32::try_from(v.party).unwrap_or(0)),
            catalogue_code: Set(v.catalogue_code.trim().to_owned()),
            stage: Set(v.stage.clone().unwrap_or_else(|| "first".to_owned())),
            act: Set(v.act.unwrap_or(1000 + position)),
            step_code: Set(None),
            fine_yuan: Set(v.fine_yuan),
            annual_income_yuan: Set(None),
            reason: Set(String::new()),
            mitigation: Set(false),
            outside_step: Set(false),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    audit::record(tx, tx.ctx(), "create", &row).await?;
    Ok(row)
}

#[allow(clippy::too_many_lines)] // the copied case's columns, field by field
/// Proposes an art. 112 case from decided case `origin`: its parties, the violations
/// that allow daily penalties (no fines yet), the facts given; handled by `user`
/// with the origin's other handler. Answers the new case's id.
pub async fn propose_from(
    tx: &Tx,
    user: &CurrentUser,
    origin: &case::Model,
    violations: &[&case_violation::Model],
    facts: &str,
) -> AppResult<i64> {
    let now = tx.now();
    let co = if origin.handler_id == user.id { origin.co_handler_id } else { Some(origin.handler_id) };
    let mut row: case::ActiveModel = origin.clone().into();
    row.id = sea_orm::ActiveValue::NotSet;
    row.procedure = Set(Procedure::General);
    row.status = Set(CaseStatus::Proposed);
    row.facts = Set(crate::limits::clamp(facts, MAX_FACTS).into_owned());
    row.handler_id = Set(user.id);
    row.co_handler_id = Set(co);
    for col in [&mut row.filed_by, &mut row.hearing_officer_id, &mut row.reviewer_id, &mut row.decided_by] {
        *col = Set(None);
    }
    for col in [
        &mut row.filed_on,
        &mut row.notified_on,
        &mut row.statement_until,
        &mut row.decided_on,
        &mut row.served_on,
        &mut row.payment_due,
        &mut row.paid_on,
        &mut row.closed_on,
        &mut row.revoked_on,
    ] {
        *col = Set(None);
    }
    row.time_limit_days = Set(super::rules::rules()?.time_limit.days);
    row.hearing_right = Set(false);
    row.discussed = Set(false);
    row.decision = Set(None);
    row.fine_total_yuan = Set(0);
    row.paid_yuan = Set(0);
    row.published_at = Set(None);
    row.withdrawn_at = Set(None);
    row.origin_case_id = Set(Some(origin.id));
    row.created_by = Set(user.id);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    row.version = Set(1);
    let row = row.insert(tx).await?;
    let (_, parties) = super::proposal::parts(tx, origin.id).await?;
    for p in parties {
        let mut p: case_party::ActiveModel = p.into();
        p.id = sea_orm::ActiveValue::NotSet;
        p.case_id = Set(row.id);
        p.insert(tx).await?;
    }
    for (i, v) in violations.iter().enumerate() {
        let mut v: case_violation::ActiveModel = (*v).clone().into();
        v.id = sea_orm::ActiveValue::NotSet;
        v.case_id = Set(row.id);
        v.position = Set(i32::try_from(i).unwrap_or(i32::MAX));
        v.stage = Set("first".to_owned());
        v.step_code = Set(None);
        v.fine_yuan = Set(None);
        v.reason = Set(String::new());
        v.mitigation = Set(false);
        v.outside_step = Set(false);
        v.insert(tx).await?;
    }
    audit::record(tx, tx.ctx(), "create", &row).await?;
    Ok(row.id)
}

/// A case the user may read (bureau users in scope), else 404.
pub async fn get_visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<case::Model> {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound);
    }
    crate::scope::get::<case::Entity, _>(db, &user.scope, id).await
}
