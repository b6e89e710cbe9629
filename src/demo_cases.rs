//! A demo penalty case in progress: opened by 江汉's first inspector against the first
//! demo enterprise and its 主要负责人, filed by the 负责人, investigated, reported
//! with fines and notified — through the same use cases as the API, so its documents
//! are really numbered and the queues show it.

use crate::auth::CurrentUser;
use crate::case::domain::{CaseDocument, Decision, PartyKind, PartyRole, Procedure, Step};
use crate::case::json::{CreateCase, NewParty, NewViolation, ProposedFine, StepBody};
use crate::case::{service, steps};
use crate::entities::{case_violation, enterprise};
use crate::error::AppResult;
use crate::state::AppState;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn opening(enterprise: i64, co_handler: i64) -> CreateCase {
    let party = |kind, enterprise_id, name: &str, role| NewParty {
        kind,
        enterprise_id,
        name: name.to_owned(),
        id_number: (kind == PartyKind::Person).then(|| "420103198001011234".to_owned()),
        role,
    };
    let violation = |code: &str, party| NewViolation {
        catalogue_code: code.to_owned(),
        party,
        stage: None,
        act: None,
        fine_yuan: None,
    };
    CreateCase {
        parties: vec![
            party(PartyKind::Unit, Some(enterprise), "", None),
            party(PartyKind::Person, None, "张三", Some(PartyRole::Principal)),
        ],
        facts: "执法检查发现该企业未建立事故隐患排查治理制度，主要负责人未组织开展隐患排查（演示数据）。".to_owned(),
        inspection_id: None,
        hazard_ids: vec![],
        violations: vec![violation("wsl-101-5", 0), violation("wsl-94", 1)],
        procedure: Procedure::General,
        co_handler_id: Some(co_handler),
        complex: false,
        act_on: None,
    }
}

/// Opens the demo case and takes it to 已告知.
pub async fn seed(state: &AppState) -> AppResult<()> {
    let db = state.db.conn();
    let Some(first) = enterprise::Entity::find().order_by_asc(enterprise::Column::Id).one(db).await? else {
        return Ok(());
    };
    let handler = crate::demo::as_user(state, "jianghan_zf").await?;
    let co = crate::demo::as_user(state, "jianghan_zf2").await?;
    let approver = crate::demo::as_user(state, "jianghan_fzr").await?;
    let body = opening(first.id, co.id);
    let id = state.write(handler.actor(), async |tx| service::create(tx, &handler, &body).await).await?;
    let act = async |u: &CurrentUser, step: Step, b: StepBody| {
        state.write(u.actor(), async |tx| steps::act(tx, u, id, step, &b).await).await
    };
    act(&approver, Step::File, StepBody::default()).await?;
    let record = StepBody {
        record: Some(CaseDocument::InquiryRecord),
        note: "询问张三，承认未建立隐患排查治理制度".to_owned(),
        ..StepBody::default()
    };
    act(&handler, Step::Investigate, record).await?;
    let rows = case_violation::Entity::find()
        .filter(case_violation::Column::CaseId.eq(id))
        .order_by_asc(case_violation::Column::Position)
        .all(db)
        .await?;
    let fines = rows
        .iter()
        .zip([10_000, 20_000])
        .map(|(v, fine)| ProposedFine {
            violation_id: v.id,
            step: Some("slight".to_owned()),
            fine_yuan: fine,
            annual_income_yuan: None,
            reason: String::new(),
            mitigation: false,
        })
        .collect();
    let report =
        StepBody { decision: Some(Decision::Penalty), fines, note: "建议罚款".to_owned(), ..StepBody::default() };
    act(&handler, Step::Report, report).await?;
    act(&handler, Step::Notify, StepBody::default()).await?;
    for u in [&handler, &co, &approver] {
        crate::auth::service::logout(state, u).await?;
    }
    Ok(())
}
